#include "ipc/ipcserver.h"

#include "diagnostics.h"
#include "ipc/ipccontrol.h"
#include "platform/socketowner.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

IpcServer::IpcServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_noticeWindow(new QTimer(this))
    , m_backlogCheck(new QTimer(this))
{
    m_backlogCheck->setSingleShot(true);
    connect(m_backlogCheck, &QTimer::timeout, this, &IpcServer::recheckBacklog);
    connect(m_server, &QTcpServer::newConnection, this, &IpcServer::onNewConnection);
    m_noticeWindow->setSingleShot(true);
    connect(m_noticeWindow, &QTimer::timeout, this, &IpcServer::onNoticeWindowEnd);
}

IpcServer::~IpcServer()
{
    close();
}

bool IpcServer::listen(const QString &host, quint16 port, QString *error)
{
    const QHostAddress address(host == u"localhost"_s ? u"127.0.0.1"_s : host);
    if (m_server->listen(address, port)) {
        qCDebug(lcIpc) << "listening on" << address.toString() << m_server->serverPort();
        return true;
    }
    if (error) {
        QString why = m_server->errorString();
        if (m_server->serverError() == QAbstractSocket::AddressInUseError)
            why = tr("another program is using it (another shard manager, or an old bot process?)");
        else if (m_server->serverError() == QAbstractSocket::SocketAccessError)
            why = tr("permission denied (ports below 1024 need privileges)");
        *error = tr("port: cannot listen for IPC on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(why);
    }
    return false;
}

void IpcServer::close()
{
    m_server->close();
    const auto all = m_connections.values() + m_pending.values();
    m_connections.clear();
    m_pending.clear();
    for (IpcConnection *c : all) {
        c->disconnect(this);
        c->drop(QString());
        c->deleteLater();
    }
    if (!all.isEmpty())
        emit connectionsChanged();
}

bool IpcServer::isListening() const
{
    return m_server->isListening();
}

quint16 IpcServer::port() const
{
    return m_server->serverPort();
}

QString IpcServer::address() const
{
    return m_server->serverAddress().toString() + u':' + QString::number(m_server->serverPort());
}

void IpcServer::setProcess(int process, qint64 pid, const QByteArray &helloToken)
{
    clearProcess(process);
    if (pid > 0)
        m_groups.insert(pid, process);
    m_helloTokens.insert(process, helloToken);
    // A child may connect before we learn its pid: look at the waiting connections again.
    const auto pending = m_pending.values();
    for (IpcConnection *c : pending) {
        const QTcpSocket *s = c->socket();
        const int owner = SocketOwner::find(s->peerAddress(), s->peerPort(), s->localAddress(),
                                            s->localPort(), {{pid, process}});
        if (owner >= 0)
            accept(c, owner);
    }
}

void IpcServer::clearProcess(int process)
{
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        if (it.value() == process)
            it = m_groups.erase(it);
        else
            ++it;
    }
}

int IpcServer::connectionCount(int process) const
{
    int n = 0;
    for (const IpcConnection *c : m_connections)
        n += c->owner() == process ? 1 : 0;
    return n;
}

QString IpcServer::describe(const IpcConnection *connection) const
{
    return connection->owner() >= 0
        ? tr("IPC connection %1 of process %2").arg(connection->id()).arg(connection->owner())
        : tr("IPC connection %1 from %2").arg(connection->id()).arg(connection->peer());
}

int IpcServer::heldLineCount() const
{
    int n = 0;
    for (const QList<QByteArray> &lines : m_held)
        n += int(lines.size());
    return n;
}

int IpcServer::strangerCount() const
{
    int n = int(m_pending.size());
    for (const IpcConnection *c : m_connections)
        n += c->owner() < 0 ? 1 : 0;
    return n;
}

void IpcServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Messages are small lines that want an answer: without TCP_NODELAY, Nagle's algorithm
        // held a second message back until the child's delayed ACK (40 ms round trips, p99).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new IpcConnection(m_nextId++, socket, m_limits.connection, this);
        const int owner = SocketOwner::find(socket->peerAddress(), socket->peerPort(),
                                            socket->localAddress(), socket->localPort(), m_groups);
        if (owner >= 0) {
            // Ours: only its own limit applies, whatever strangers do.
            if (connectionCount(owner) >= m_limits.maxPerProcess)
                refuse(connection, owner,
                       tr("process %1 already has %2 connections, the limit")
                           .arg(owner)
                           .arg(m_limits.maxPerProcess));
            else
                accept(connection, owner);
            continue;
        }
        // Not found among our processes: a stranger, or a child that proves itself with its hello.
        if (strangerCount() >= m_limits.maxStrangers) {
            refuse(connection, -1,
                   tr("already %1 connections from processes that are not shards, "
                      "the limit for them")
                       .arg(m_limits.maxStrangers));
            continue;
        }
        if (m_acceptAny) {
            accept(connection, -1);
            continue;
        }
        qCDebug(lcIpc) << "connection" << connection->id() << "from" << connection->peer()
                       << "is no known process group: waiting" << m_limits.helloTimeoutMs
                       << "ms for its hello";
        watch(connection);
        m_pending.insert(connection->id(), connection);
        QTimer::singleShot(m_limits.helloTimeoutMs, connection, [this, connection] {
            if (m_pending.contains(connection->id()))
                connection->drop(tr("not one of our processes (no valid hello within %1 ms); "
                                    "set ipcAccept to \"any\" to allow other programs")
                                     .arg(m_limits.helloTimeoutMs));
        });
    }
}

void IpcServer::watch(IpcConnection *connection)
{
    connect(connection, &IpcConnection::message, this, &IpcServer::onMessage);
    connect(connection, &IpcConnection::closed, this, &IpcServer::onClosed);
    connect(connection, &IpcConnection::progressed, this, [this] {
        // Once a turn, not once per socket write: a hundred connections drain together.
        if (m_congested && (!m_backlogCheck->isActive() || m_backlogCheck->interval() > 0))
            m_backlogCheck->start(0);
    });
}

qint64 IpcServer::sendBacklog() const
{
    qint64 total = 0;
    for (const IpcConnection *c : m_connections) {
        if (!c->isStalled(m_limits.connection.stallMs))
            total += c->backlog();
    }
    return total;
}

bool IpcServer::isCongested()
{
    if (!m_congested && sendBacklog() > m_limits.sendBudgetBytes) {
        m_congested = true;
        qCDebug(lcIpc) << "unsent IPC bytes over the budget of" << m_limits.sendBudgetBytes;
        // Progress rechecks at once; this catches connections that stall instead.
        m_backlogCheck->start(m_limits.connection.stallMs / 2 + 1);
    }
    return m_congested;
}

void IpcServer::recheckBacklog()
{
    if (!m_congested)
        return;
    if (sendBacklog() > m_limits.sendBudgetBytes / 2) {
        if (!m_backlogCheck->isActive())
            m_backlogCheck->start(m_limits.connection.stallMs / 2 + 1);
        return;
    }
    m_congested = false;
    m_backlogCheck->stop();
    qCDebug(lcIpc) << "unsent IPC bytes back under half the budget";
    emit backlogDrained();
}

void IpcServer::refuse(IpcConnection *connection, int owner, const QString &why)
{
    const QString text = tr("refused IPC connection from %1: %2").arg(connection->peer(), why);
    qCDebug(lcIpc) << "connection" << connection->id() << "refused:" << why;
    if (owner >= 0)
        emit notice(text);
    else
        strangerNotice(text);
    connection->drop(QString());
    connection->deleteLater();
}

void IpcServer::strangerNotice(const QString &text)
{
    m_lastStranger = text;
    if (m_noticeWindow->isActive()) {
        ++m_strangerNotices;
        return;
    }
    emit notice(text);
    m_noticeWindow->start(m_limits.noticeWindowMs);
}

void IpcServer::onNoticeWindowEnd()
{
    if (m_strangerNotices == 0)
        return; // a quiet window: the next notice is shown at once again
    emit notice(
        tr("refused or dropped %n more connection(s) from processes that are not shards in the "
           "last %1 s; the last: %2",
           nullptr, m_strangerNotices)
            .arg(m_limits.noticeWindowMs / 1000.0)
            .arg(m_lastStranger));
    m_strangerNotices = 0;
    m_noticeWindow->start(m_limits.noticeWindowMs);
}

void IpcServer::accept(IpcConnection *connection, int owner)
{
    if (!m_pending.remove(connection->id()))
        watch(connection);
    connection->setOwner(owner);
    qCDebug(lcIpc) << "connection" << connection->id() << "from" << connection->peer()
                   << "accepted,"
                   << (owner >= 0 ? u"process %1"_s.arg(owner) : u"not a shard (ipcAccept any)"_s);
    m_connections.insert(connection->id(), connection);
    emit connectionsChanged();
    // What it said before it was known, now in order, as if it had just arrived.
    for (const QByteArray &line : m_held.take(connection->id()))
        onMessage(connection, line);
}

bool IpcServer::handleHello(IpcConnection *connection, const QByteArray &line)
{
    if (!line.startsWith("hello "))
        return false;
    const QByteArray token = line.mid(6).trimmed();
    for (auto it = m_helloTokens.cbegin(); it != m_helloTokens.cend(); ++it) {
        if (!it.value().isEmpty() && it.value() == token) {
            qCDebug(lcIpc) << "connection" << connection->id() << "proved itself process"
                           << it.key();
            if (m_pending.contains(connection->id()))
                accept(connection, it.key());
            else if (connection->owner() < 0) {
                connection->setOwner(it.key());
                emit connectionsChanged();
            }
            return true;
        }
    }
    return false;
}

void IpcServer::onMessage(IpcConnection *connection, const QByteArray &line)
{
    if (handleHello(connection, line))
        return;
    if (m_pending.contains(connection->id())) {
        // Not attributed yet: a child can connect and talk before the manager has registered
        // its pid (its start is noticed an event-loop turn later). Its lines wait, a few, until it
        // is attributed (then they are delivered, in order) or its hello deadline drops it.
        QList<QByteArray> &held = m_held[connection->id()];
        qsizetype bytes = line.size();
        for (const QByteArray &l : std::as_const(held))
            bytes += l.size();
        if (held.size() >= kMaxHeldLines || bytes > kMaxHeldBytes) {
            qCDebug(lcIpc) << "connection" << connection->id()
                           << "sent too much before a valid hello: dropped";
            connection->drop(tr("not one of our processes (it sent more than %1 lines or %2 KiB "
                                "without a valid hello); set ipcAccept to \"any\" to allow "
                                "other programs")
                                 .arg(kMaxHeldLines)
                                 .arg(kMaxHeldBytes / 1024));
            return;
        }
        held.append(line);
        return;
    }
    emit messageReceived(connection->id(), connection->owner(),
                         m_redactor.redact(QString::fromUtf8(line)));
    handleControl(connection, line);
}

bool IpcServer::handleControl(IpcConnection *connection, const QByteArray &line)
{
    const std::optional<IpcControl::Message> m = IpcControl::parse(line);
    if (!m)
        return false;
    const int from = connection->owner();
    switch (m->op) {
    case IpcControl::Message::Op::Ready:
        if (from >= 0)
            emit processReady(from);
        break;
    case IpcControl::Message::Op::Stats:
        if (from >= 0)
            emit statsReceived(from, m->stats);
        break;
    case IpcControl::Message::Op::Relay:
        if (m->toAll)
            sendToConnections(-1, from, m->payload);
        else if (m->toProcess >= 0)
            sendToConnections(m->toProcess, -2, m->payload);
        else
            emit notice(tr("%1: relay needs \"to\": \"all\" or a process number")
                            .arg(describe(connection)));
        break;
    }
    return true;
}

int IpcServer::sendToConnections(int process, int exceptProcess, const QByteArray &line)
{
    int reached = 0;
    // Copy: a send may drop a connection, which removes it from the hash.
    const auto connections = m_connections.values();
    for (IpcConnection *c : connections) {
        if (process >= 0 && c->owner() != process)
            continue;
        if (exceptProcess >= 0 && c->owner() == exceptProcess)
            continue;
        if (c->send(line)) {
            ++reached;
            ++m_sent;
            if (c->owner() >= 0)
                ++m_sentTo[c->owner()];
        }
    }
    return reached;
}

int IpcServer::broadcast(const QString &text)
{
    return sendToConnections(-1, -2, text.toUtf8());
}

int IpcServer::sendTo(int process, const QString &text)
{
    if (process < 0)
        return 0;
    return sendToConnections(process, -2, text.toUtf8());
}

void IpcServer::onClosed(IpcConnection *connection, const QString &reason)
{
    qCDebug(lcIpc) << "connection" << connection->id() << "closed" << reason;
    if (!reason.isEmpty()) {
        const QString text = tr("disconnected %1: %2").arg(describe(connection), reason);
        if (connection->owner() >= 0)
            emit notice(text);
        else
            strangerNotice(text);
    }
    const bool wasAccepted = m_connections.remove(connection->id()) > 0;
    m_pending.remove(connection->id());
    m_held.remove(connection->id());
    connection->deleteLater();
    if (wasAccepted)
        emit connectionsChanged();
    if (m_congested) // its backlog no longer counts
        m_backlogCheck->start(0);
}
