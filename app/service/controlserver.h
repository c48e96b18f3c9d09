#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QObject>

class QLocalServer;
class QLocalSocket;
class ShardEngine;

// The service's control socket (README "Control socket"): a local socket only this user may
// reach, one per profile. A client gets a hello line and a snapshot of every process, as JSON
// lines. Its existence also keeps a second service off the same profile.
class ControlServer : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlServer)

public:
    static constexpr int kProtocol = 1;

    ControlServer(ShardEngine *engine, const QString &profilePath, QObject *parent = nullptr);
    ~ControlServer() override;

    // Listens on the profile's socket. Refused when a service already answers there (error
    // names its pid and since when); a socket file left by a service that died is replaced.
    bool listen(QString *error);
    QString path() const { return m_path; }

    // A client's side: the next JSON line on socket, or an empty object when none comes within
    // timeoutMs (or it is not a JSON object).
    static QJsonObject readObject(QLocalSocket &socket, int timeoutMs);

    // The lines a client reads first: hello, then the snapshot.
    QByteArray helloLine() const;
    QByteArray snapshotLine() const;

signals:
    void notice(const QString &text);

private:
    void onNewConnection();

    ShardEngine *m_engine;
    QString m_profilePath;
    QString m_path;
    QLocalServer *m_server;
    QDateTime m_since;
};
