#pragma once

#include "ipc/ipcconnection.h"
#include "output/redactor.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>

class QTcpServer;
class QTimer;

// The manager's end of IPC (DESIGN §5): a TCP server whose clients are the shard processes.
// Attributes each connection to the process that opened it, frames messages as lines, forwards
// broadcasts and relays, and disconnects a client that breaks a limit without slowing the others.
class IpcServer : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IpcServer)

public:
    struct Limits {
        IpcConnection::Limits connection;
        // Connections one of our processes may hold at once.
        int maxPerProcess = 16;
        // Connections not (yet) attributed to one of our processes: those waiting for their
        // hello line and, with ipcAccept "any", accepted strangers. A budget of their own, so
        // strangers can never crowd out the children.
        int maxStrangers = 16;
        // How long a connection we cannot attribute may take to send its hello line.
        int helloTimeoutMs = 3000;
        // Repeated notices about strangers are summed up over this long.
        int noticeWindowMs = 10000;
        // Unsent bytes of all connections together past which a sender should wait (headless
        // stdin stops reading): isCongested(). Connections that take nothing (stalled) do not
        // count, their own limit deals with them, so one child that never reads cannot stop
        // the broadcasts of the others.
        qint64 sendBudgetBytes = 4 * 1024 * 1024;
    };

    explicit IpcServer(QObject *parent = nullptr);
    ~IpcServer() override;

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    // Accept connections from processes that are not ours (profile key ipcAccept: "any").
    void setAcceptAny(bool any) { m_acceptAny = any; }
    // Text that must never leave the manager (the token), replaced by "[token]" in events.
    void setSecrets(const QStringList &secrets) { m_redactor.setSecrets(secrets); }

    bool listen(const QString &host, quint16 port, QString *error);
    void close();
    bool isListening() const;
    quint16 port() const;
    QString address() const; // "127.0.0.1:1337"

    // Which process (index) owns which group (its pid), and the per-process hello secret.
    void setProcess(int process, qint64 pid, const QByteArray &helloToken);
    void clearProcess(int process);

    int connectionCount() const { return int(m_connections.size()); }
    int strangerCount() const;
    // Lines received from connections not attributed yet, held until they are.
    int heldLineCount() const;
    int connectionCount(int process) const;

    // Unsent bytes of the connections that are taking theirs (not stalled).
    qint64 sendBacklog() const;
    // True when sendBacklog() is over the budget; then backlogDrained() follows once it is down
    // to half of it (or those connections are gone or stalled).
    bool isCongested();

    // Sends text to every accepted connection; returns how many it reached.
    int broadcast(const QString &text);
    // Sends text to the connections of one process; returns how many it reached.
    int sendTo(int process, const QString &text);
    // Messages delivered (sends, broadcasts and relays; a broadcast once per connection reached),
    // in all and to a process's connections, since start.
    qint64 messagesSent() const { return m_sent; }
    qint64 messagesSentTo(int process) const { return m_sentTo.value(process); }
    // A new plan numbers other shards: what process N of the old one was sent is not the new N's.
    void forgetProcessCounts() { m_sentTo.clear(); }

signals:
    // One message from a connection; process is -1 when the sender is not attributed (ipcAccept
    // any).
    void messageReceived(int connection, int process, const QString &text);
    void processReady(int process);
    void statsReceived(int process, const QJsonObject &stats);
    void connectionsChanged();
    // After isCongested() said true: the backlog is low enough to send again.
    void backlogDrained();
    // Refusals and limits hit: something a user should read.
    void notice(const QString &text);

private:
    void onNewConnection();
    void watch(IpcConnection *connection);
    void accept(IpcConnection *connection, int owner);
    void refuse(IpcConnection *connection, int owner, const QString &why);
    // A notice about a stranger: the first at once, the rest of a window summed up in one line.
    void strangerNotice(const QString &text);
    void onNoticeWindowEnd();
    void onMessage(IpcConnection *connection, const QByteArray &line);
    bool handleHello(IpcConnection *connection, const QByteArray &line);
    bool handleControl(IpcConnection *connection, const QByteArray &line);
    void onClosed(IpcConnection *connection, const QString &reason);
    int sendToConnections(int process, int exceptProcess, const QByteArray &line);
    void recheckBacklog();
    QString describe(const IpcConnection *connection) const;

    QTcpServer *m_server;
    Limits m_limits;
    bool m_acceptAny = false;
    Redactor m_redactor;
    QHash<int, IpcConnection *> m_connections; // accepted
    QHash<int, IpcConnection *> m_pending; // waiting for hello
    // Lines of pending connections, delivered once they are attributed: at most kMaxHeldLines
    // and kMaxHeldBytes a connection, so strangers (maxStrangers) hold little memory.
    QHash<int, QList<QByteArray>> m_held;
    static constexpr int kMaxHeldLines = 64;
    static constexpr qsizetype kMaxHeldBytes = 256 * 1024;
    QHash<qint64, int> m_groups; // pid -> process
    qint64 m_sent = 0;
    QHash<int, qint64> m_sentTo; // process -> messages delivered
    QHash<int, QByteArray> m_helloTokens; // process -> token
    int m_nextId = 1;
    QTimer *m_noticeWindow;
    int m_strangerNotices = 0; // held back in the current window
    QString m_lastStranger;
    bool m_congested = false;
    QTimer *m_backlogCheck; // while congested: the end of the turn, or a stall becoming one
};
