#pragma once

#include <QObject>
#include <QString>

// Where secrets live: the OS keychain in the application, a fake in tests. Asynchronous, like
// the keychains themselves (a desktop may ask the user to unlock first).
class SecretBackend : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretBackend)

public:
    // Cancelled: the user dismissed the keychain's own prompt (unlock, allow access).
    enum class Result { Ok, NotFound, Unavailable, Denied, Cancelled, Failed };

    using QObject::QObject;

    virtual void read(const QString &key) = 0;
    virtual void write(const QString &key, const QString &secret) = 0;
    virtual void remove(const QString &key) = 0;

signals:
    void readFinished(const QString &key, SecretBackend::Result result, const QString &secret,
                      const QString &message);
    void writeFinished(const QString &key, SecretBackend::Result result, const QString &message);
    void removeFinished(const QString &key, SecretBackend::Result result, const QString &message);
};

// The OS keychain through QtKeychain: Secret Service (GNOME Keyring, KWallet) on Linux, the
// Keychain on macOS, the Credential Manager on Windows. Never falls back to plain text.
class KeychainBackend : public SecretBackend {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainBackend)

public:
    explicit KeychainBackend(QObject *parent = nullptr);

    void read(const QString &key) override;
    void write(const QString &key, const QString &secret) override;
    void remove(const QString &key) override;

    static QString serviceName();
    // What a QtKeychain error (QKeychain::Error) and its text mean here. OtherError covers both
    // "no Secret Service on the bus" and a prompt the user dismissed: the text tells them apart.
    static Result resultOf(int keychainError, const QString &message);
};
