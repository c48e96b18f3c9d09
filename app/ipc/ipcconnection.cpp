#include "ipc/ipcconnection.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

IpcConnection::IpcConnection(int id, QTcpSocket *socket, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(socket)
    , m_limits(limits)
    , m_framer(limits.maxMessageBytes)
    , m_peer(socket->peerAddress().toString() + u':' + QString::number(socket->peerPort()))
{
    m_socket->setParent(this);
    m_tailTimer.setSingleShot(true);
    m_tailTimer.setInterval(m_limits.tailIdleMs);
    connect(&m_tailTimer, &QTimer::timeout, this, [this] { deliver(m_framer.takeIdleTail()); });
    connect(m_socket, &QTcpSocket::readyRead, this, &IpcConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &IpcConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        m_lastProgressMs = m_lastTakenMs = m_clock.elapsed();
        emit progressed(this);
    });
    m_clock.start();
}

IpcConnection::~IpcConnection()
{
    m_socket->disconnect(this);
}

qint64 IpcConnection::backlog() const
{
    return m_socket->bytesToWrite();
}

bool IpcConnection::isStalled(int ms) const
{
    return !m_closed && m_socket->bytesToWrite() > 0 && m_clock.elapsed() - m_lastTakenMs > ms;
}

bool IpcConnection::send(const QByteArray &line)
{
    if (m_closed)
        return false;
    const qint64 backlog = m_socket->bytesToWrite();
    if (backlog > m_limits.maxBacklogBytes) {
        // Over the limit: hand the kernel what it takes now. A peer that reads makes progress
        // here even while we send in a burst; one that stopped reading does not.
        if (m_socket->flush())
            m_lastProgressMs = m_clock.elapsed();
        const qint64 left = m_socket->bytesToWrite();
        const bool stalled = m_clock.elapsed() - m_lastProgressMs > m_limits.stallMs;
        if (left > m_limits.maxBacklogBytes
            && (stalled || left > m_limits.maxBacklogBytes * m_limits.hardBacklogFactor)) {
            drop(tr("it is not reading: %1 KiB unsent, over the %2 KiB limit")
                     .arg(left / 1024)
                     .arg(m_limits.maxBacklogBytes / 1024));
            return false;
        }
    } else {
        m_lastProgressMs = m_clock.elapsed();
        if (backlog == 0)
            m_lastTakenMs = m_lastProgressMs; // the stall clock runs from the first unsent byte
    }
    m_socket->write(line);
    m_socket->write("\n", 1);
    return true;
}

void IpcConnection::drop(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_tailTimer.stop();
    m_socket->disconnect(this);
    m_socket->abort();
    emit closed(this, reason);
}

void IpcConnection::onReadyRead()
{
    if (m_closed)
        return;
    const IpcFramer::Result result = m_framer.feed(m_socket->readAll());
    deliver(result.messages);
    if (m_closed)
        return;
    if (result.oversized > 0)
        return drop(tr("it sent a message of %1 KiB, over the %2 KiB limit")
                        .arg(result.oversized / 1024)
                        .arg(m_limits.maxMessageBytes / 1024));
    // Only a seed-style connection (never a newline yet) ends a message by pausing.
    if (m_framer.hasTail() && !m_framer.isLineFramed())
        m_tailTimer.start();
    else
        m_tailTimer.stop();
}

void IpcConnection::deliver(const QByteArrayList &lines)
{
    for (const QByteArray &line : lines) {
        if (m_closed)
            return;
        emit message(this, line);
    }
}

void IpcConnection::onDisconnected()
{
    if (m_closed)
        return;
    // Whatever is still buffered arrived before the close: deliver it first.
    onReadyRead();
    if (m_closed)
        return;
    m_tailTimer.stop();
    deliver(m_framer.takeCloseTail());
    m_closed = true;
    emit closed(this, QString());
}
