#include "service/controlserver.h"

#include "diagnostics.h"
#include "engine/shardengine.h"
#include "platform/localaccess.h"
#include "service/controlpaths.h"
#include "service/controlsnapshot.h"
#include "service/engineevents.h"
#include "service/eventcodec.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

ControlServer::ControlServer(ShardEngine *engine, EngineEvents *events, const QString &profilePath,
                             QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_events(events)
    , m_profilePath(QFileInfo(profilePath).absoluteFilePath())
    , m_path(ControlPaths::socketFor(profilePath))
    , m_server(new QLocalServer(this))
    , m_commands(engine, m_profilePath)
    , m_budget(ControlClient::budgetFromEnvironment())
{
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
    connect(events, &EngineEvents::event, this, &ControlServer::onEvent);
    connect(events, &EngineEvents::output, this, &ControlServer::onOutput);
    connect(events, &EngineEvents::ipcMessage, this, &ControlServer::onIpcMessage);
    m_stallTimer.setInterval(std::clamp(m_budget.stallMs / 4, 50, 5000));
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        for (ControlClient *client : QList(m_clients))
            client->checkStall();
    });
}

ControlServer::~ControlServer()
{
    m_server->close(); // removes the socket file
}

QJsonObject ControlServer::readObject(QLocalSocket &socket, int timeoutMs)
{
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(timeoutMs))
            return {};
    }
    return QJsonDocument::fromJson(socket.readLine()).object();
}

QJsonObject ControlServer::askHello(const QString &path, int connectMs, int readMs)
{
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(connectMs))
        return {};
    QJsonObject hello = readObject(socket, readMs);
    if (hello.isEmpty())
        hello.insert(u"type"_s, u"unknown"_s); // something answers there, but not as we do
    return hello;
}

bool ControlServer::listen(QString *error)
{
    const QString directory = ControlPaths::directory();
    QString why;
    if (!LocalAccess::makePrivateDirectory(directory, &why)) {
        *error = tr("cannot make the control folder %1: %2").arg(directory, why);
        return false;
    }
    if (QFileInfo::exists(m_path)) {
        const QJsonObject running = askHello(m_path, 1000, 2000);
        if (!running.isEmpty()) {
            *error = running.value(u"pid"_s).isDouble()
                ? tr("a service already runs this profile: pid %1, since %2 (control socket %3)")
                      .arg(running.value(u"pid"_s).toInteger())
                      .arg(running.value(u"since"_s).toString(), m_path)
                : tr("something already answers on the control socket %1").arg(m_path);
            return false;
        }
        qCDebug(lcControl) << "replacing the socket of a service that ended:" << m_path;
        QLocalServer::removeServer(m_path);
    }
    if (!m_server->listen(m_path)) {
        *error
            = tr("cannot listen on the control socket %1: %2").arg(m_path, m_server->errorString());
        return false;
    }
    LocalAccess::makeOwnerOnly(m_path);
    m_since = QDateTime::currentDateTimeUtc();
    qCDebug(lcControl) << "control socket" << m_path;
    return true;
}

QByteArray ControlServer::helloLine() const
{
    return EventCodec::line({{u"type"_s, u"hello"_s},
                             {u"protocol"_s, kProtocol},
                             {u"pid"_s, QCoreApplication::applicationPid()},
                             {u"since"_s, m_since.toString(Qt::ISODateWithMs)},
                             {u"profile"_s, m_profilePath}});
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        const qint64 uid = LocalAccess::peerUid(socket->socketDescriptor());
        if (uid != LocalAccess::currentUid()) {
            // The folder is this user's alone; a peer of another uid (root, say) is still refused.
            const QString text = tr("control: refused a connection from user id %1").arg(uid);
            qCWarning(lcControl).noquote() << text;
            emit notice(text);
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *client = new ControlClient(socket, m_nextClient++, m_budget, this);
        qCDebug(lcControl) << "control client" << client->id() << "connected";
        m_clients.append(client);
        m_stallTimer.start();
        connect(client, &ControlClient::commandReceived, this,
                [this, client](const QJsonObject &command) { onCommand(client, command); });
        connect(client, &ControlClient::finished, this, [this, client](const QString &reason) {
            m_clients.removeOne(client);
            if (m_clients.isEmpty())
                m_stallTimer.stop();
            if (!reason.isEmpty())
                emit notice(tr("control: dropped client %1: %2").arg(client->id()).arg(reason));
            client->deleteLater();
        });
        client->send(helloLine());
        QJsonArray messages;
        for (const QByteArray &message : m_ipcMessages)
            messages.append(QJsonDocument::fromJson(message).object());
        client->send(EventCodec::line(ControlSnapshot::build(m_engine, messages)));
    }
}

void ControlServer::onEvent(const QJsonObject &event)
{
    if (m_clients.isEmpty())
        return;
    // Serialized once for every client; a copy of the list, as one dropped on the way leaves it.
    const QByteArray line = EventCodec::line(event);
    for (ControlClient *client : QList(m_clients))
        client->send(line);
}

void ControlServer::onIpcMessage(const QByteArray &line)
{
    m_ipcMessages.push_back(line);
    if (m_ipcMessages.size() > size_t(ControlSnapshot::kRecentIpcMessages))
        m_ipcMessages.pop_front();
    for (ControlClient *client : QList(m_clients))
        client->send(line);
}

void ControlServer::onOutput(int process, bool isStderr, const OutputBatch &batch)
{
    if (m_clients.isEmpty())
        return; // nobody reads: nothing is serialized
    const QByteArray line = EventCodec::outputLine(m_events->outputOf(process, isStderr), batch);
    for (ControlClient *client : QList(m_clients))
        client->sendOutput(line, int(batch.count));
}

void ControlServer::onCommand(ControlClient *client, const QJsonObject &command)
{
    const QString name = command.value(u"command"_s).toString();
    // Never the command itself in a log: setToken carries the token.
    qCDebug(lcControl) << "client" << client->id() << "command" << name;
    QJsonObject reply = m_commands.run(command);
    reply.insert(u"type"_s, u"reply"_s);
    if (command.contains(u"id"_s))
        reply.insert(u"id"_s, command.value(u"id"_s));
    reply.insert(u"command"_s, name);
    client->send(EventCodec::line(reply));
    if (name == u"stopService"_s)
        emit stopServiceRequested();
}
