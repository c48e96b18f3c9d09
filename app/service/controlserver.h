#pragma once

#include "output/outputbatch.h"
#include "service/controlclient.h"
#include "service/controlcommands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <deque>

class EngineEvents;
class QLocalServer;
class QLocalSocket;
class ShardEngine;

// The service's control socket (docs/control-protocol.md): a local socket only this user may
// reach, one per profile. A client gets a hello line, a snapshot of the whole run, then every
// engine event; it sends commands and gets replies. Several clients at once, each within its own
// budget (ControlClient). Its existence also keeps a second service off the same profile.
class ControlServer : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlServer)

public:
    static constexpr int kProtocol = 1;

    ControlServer(ShardEngine *engine, EngineEvents *events, const QString &profilePath,
                  QObject *parent = nullptr);
    ~ControlServer() override;

    // Listens on the profile's socket. Refused when a service already answers there (error
    // names its pid and since when); a socket file left by a service that died is replaced.
    bool listen(QString *error);
    QString path() const { return m_path; }
    int clientCount() const { return int(m_clients.size()); }

    // A client's side: the next JSON line on socket, or an empty object when none comes within
    // timeoutMs (or it is not a JSON object).
    static QJsonObject readObject(QLocalSocket &socket, int timeoutMs);

    // What a service listening at path says first: its hello, {"type":"unknown"} when something
    // else answers there, an empty object when nothing does.
    static QJsonObject askHello(const QString &path, int connectMs, int readMs);

    QByteArray helloLine() const;

signals:
    // Something the service's user should hear of (a refused peer, a dropped client).
    void notice(const QString &text);
    // A client sent "stopService".
    void stopServiceRequested();

private:
    void onNewConnection();
    void onEvent(const QJsonObject &event);
    void onOutput(int process, bool isStderr, const OutputBatch &batch);
    void onIpcMessage(const QByteArray &line);
    void onCommand(ControlClient *client, const QJsonObject &command);

    ShardEngine *m_engine;
    EngineEvents *m_events;
    QString m_profilePath;
    QString m_path;
    QLocalServer *m_server;
    QDateTime m_since;
    ControlCommands m_commands;
    ControlClient::Budget m_budget;
    QList<ControlClient *> m_clients;
    int m_nextClient = 1;
    // The last ControlSnapshot::kRecentIpcMessages ipcMessage events, as written: parsed only for
    // a snapshot.
    std::deque<QByteArray> m_ipcMessages;
    QTimer m_stallTimer;
};
