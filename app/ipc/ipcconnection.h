#pragma once

#include "ipc/ipcframer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QTcpSocket;

// One accepted IPC connection: frames incoming bytes into messages (IpcFramer) and enforces the
// per-connection limits.
class IpcConnection : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IpcConnection)

public:
    struct Limits {
        qsizetype maxMessageBytes = 1024 * 1024;
        // Unsent bytes a connection may hold. Past it, a peer that takes nothing for stallMs is
        // dropped; past hardBacklogFactor times it, a peer is dropped at once, reading or not.
        qint64 maxBacklogBytes = 8 * 1024 * 1024;
        int stallMs = 1000;
        int hardBacklogFactor = 4;
        int tailIdleMs = 100;
    };

    IpcConnection(int id, QTcpSocket *socket, const Limits &limits, QObject *parent = nullptr);
    ~IpcConnection() override;

    int id() const { return m_id; }
    int owner() const { return m_owner; }
    void setOwner(int process) { m_owner = process; }
    QTcpSocket *socket() const { return m_socket; }
    // Address and port of the peer, kept from the accept: a closed socket no longer knows them.
    QString peer() const { return m_peer; }
    qint64 backlog() const;
    // Holds unsent bytes and the peer has taken none of them for ms: not reading.
    bool isStalled(int ms) const;

    // Queues text + '\n'. Returns false (and disconnects with a reason) when the peer has stopped
    // reading and its unsent backlog passed the limit.
    bool send(const QByteArray &line);
    // Closes the connection; reason is reported through closed().
    void drop(const QString &reason);

signals:
    void message(IpcConnection *connection, const QByteArray &text);
    // Emitted once; reason is empty when the peer closed normally.
    void closed(IpcConnection *connection, const QString &reason);
    // The peer took some of the backlog (the kernel accepted queued bytes).
    void progressed(IpcConnection *connection);

private:
    void onReadyRead();
    void onDisconnected();
    void deliver(const QByteArrayList &lines);

    int m_id;
    QTcpSocket *m_socket;
    Limits m_limits;
    IpcFramer m_framer;
    QString m_peer;
    QTimer m_tailTimer;
    QElapsedTimer m_clock;
    qint64 m_lastProgressMs = 0;
    qint64 m_lastTakenMs = 0; // when the peer last took bytes, or the backlog last began
    int m_owner = -1;
    bool m_closed = false;
};
