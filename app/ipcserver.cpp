#include "ipcserver.h"

#include "platform/socketowner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
// What a relay forwards: text as it is, anything else as compact JSON.
QByteArray relayPayload(const QJsonValue &d)
{
    if (d.isString())
        return d.toString().toUtf8();
    if (d.isObject())
        return QJsonDocument(d.toObject()).toJson(QJsonDocument::Compact);
    // Wrap scalars and arrays in an array to serialise them, then unwrap.
    const QByteArray wrapped = QJsonDocument(QJsonArray{d}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}
} // namespace

IpcServer::IpcServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &IpcServer::onNewConnection);
}

IpcServer::~IpcServer()
{
    close();
}

bool IpcServer::listen(const QString &host, quint16 port, QString *error)
{
    const QHostAddress address(host == u"localhost"_s ? u"127.0.0.1"_s : host);
    if (m_server->listen(address, port))
        return true;
    if (error) {
        QString why = m_server->errorString();
        if (m_server->serverError() == QAbstractSocket::AddressInUseError)
            why = u"another program is using it (another shard manager, or an old bot process?)"_s;
        else if (m_server->serverError() == QAbstractSocket::SocketAccessError)
            why = u"permission denied (ports below 1024 need privileges)"_s;
        *error = u"port: cannot listen for IPC on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(why);
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
               ? u"IPC connection %1 of process %2"_s.arg(connection->id()).arg(connection->owner())
               : u"IPC connection %1 from %2"_s.arg(connection->id()).arg(connection->peer());
}

void IpcServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new IpcConnection(m_nextId++, socket, m_limits.connection, this);
        if (m_connections.size() + m_pending.size() >= m_limits.maxConnections) {
            emit notice(u"refused IPC connection from %1: already %2 connections, the limit"_s
                            .arg(connection->peer()).arg(m_limits.maxConnections));
            connection->drop(QString());
            connection->deleteLater();
            continue;
        }
        connect(connection, &IpcConnection::message, this, &IpcServer::onMessage);
        connect(connection, &IpcConnection::closed, this, &IpcServer::onClosed);

        const int owner = SocketOwner::find(socket->peerAddress(), socket->peerPort(),
                                            socket->localAddress(), socket->localPort(), m_groups);
        if (owner >= 0 || m_acceptAny) {
            accept(connection, owner);
            continue;
        }
        // Not found among our processes: it may still prove itself with its hello line.
        m_pending.insert(connection->id(), connection);
        QTimer::singleShot(m_limits.helloTimeoutMs, connection, [this, connection] {
            if (m_pending.contains(connection->id()))
                connection->drop(u"not one of our processes (no valid hello within %1 ms); "
                                 "set ipcAccept to \"any\" to allow other programs"_s
                                     .arg(m_limits.helloTimeoutMs));
        });
    }
}

void IpcServer::accept(IpcConnection *connection, int owner)
{
    m_pending.remove(connection->id());
    connection->setOwner(owner);
    m_connections.insert(connection->id(), connection);
    emit connectionsChanged();
}

bool IpcServer::handleHello(IpcConnection *connection, const QByteArray &line)
{
    if (!line.startsWith("hello "))
        return false;
    const QByteArray token = line.mid(6).trimmed();
    for (auto it = m_helloTokens.cbegin(); it != m_helloTokens.cend(); ++it) {
        if (!it.value().isEmpty() && it.value() == token) {
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
        connection->drop(u"not one of our processes (it sent data before a valid hello); "
                         "set ipcAccept to \"any\" to allow other programs"_s);
        return;
    }
    emit messageReceived(connection->id(), connection->owner(), m_redactor.redact(QString::fromUtf8(line)));
    handleControl(connection, line);
}

bool IpcServer::handleControl(IpcConnection *connection, const QByteArray &line)
{
    // Cheap test first: most traffic is plain data and must not pay for a JSON parse.
    if (!line.startsWith('{') || !line.contains("\"op\""))
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    const QString op = o.value(u"op"_s).toString();
    const int from = connection->owner();
    if (op == u"ready"_s) {
        if (from >= 0)
            emit processReady(from);
    } else if (op == u"stats"_s) {
        QJsonObject stats;
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.value().isDouble())
                stats.insert(it.key(), it.value());
        }
        if (from >= 0)
            emit statsReceived(from, stats);
    } else if (op == u"relay"_s) {
        const QJsonValue d = o.value(u"d"_s);
        const QByteArray payload = relayPayload(o.value(u"d"_s));
        const QJsonValue to = o.value(u"to"_s);
        if (to == QJsonValue(u"all"_s))
            sendToConnections(-1, from, payload);
        else if (to.isDouble())
            sendToConnections(to.toInt(), -2, payload);
        else
            emit notice(u"%1: relay needs \"to\": \"all\" or a process number"_s.arg(describe(connection)));
    } else {
        return false;
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
        reached += c->send(line) ? 1 : 0;
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
    if (!reason.isEmpty())
        emit notice(u"disconnected %1: %2"_s.arg(describe(connection), reason));
    const bool wasAccepted = m_connections.remove(connection->id()) > 0;
    m_pending.remove(connection->id());
    connection->deleteLater();
    if (wasAccepted)
        emit connectionsChanged();
}
