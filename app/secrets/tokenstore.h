#pragma once

#include "secrets/secretbackend.h"

#include <QObject>

// The bot token of one profile, kept in a SecretBackend (the OS keychain), one entry per
// profile file. Holds the token in memory once loaded; never writes it anywhere else.
class TokenStore : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenStore)

public:
    enum class Status { Unknown, Loading, Stored, None, Unavailable, Cancelled, Error };

    // The backend is not owned.
    explicit TokenStore(SecretBackend *backend, QObject *parent = nullptr);

    // The keychain entry name for a profile file (its absolute path).
    static QString keyFor(const QString &profilePath);

    // Loads the token of this profile; statusChanged() tells the result.
    void load(const QString &profilePath);
    void store(const QString &token);
    void remove();

    Status status() const { return m_status; }
    QString token() const { return m_token; }
    QString message() const { return m_message; } // what went wrong, for the user
    QString profilePath() const { return m_profilePath; }
    static QString statusText(Status status);
    // What to do when no keychain is available, for the user.
    static QString unavailableAdvice();

signals:
    void statusChanged(TokenStore::Status status);
    void tokenChanged(const QString &token);

private:
    void setStatus(Status status, const QString &message = QString());
    void onRead(const QString &key, SecretBackend::Result result, const QString &secret,
                const QString &message);
    void onWritten(const QString &key, SecretBackend::Result result, const QString &message);
    void onRemoved(const QString &key, SecretBackend::Result result, const QString &message);
    Status failureStatus(SecretBackend::Result result, const QString &message, QString *text) const;

    SecretBackend *m_backend;
    QString m_profilePath;
    QString m_token;
    QString m_pending; // token being written
    Status m_status = Status::Unknown;
    QString m_message;
};
