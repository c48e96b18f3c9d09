#include "service/controlserver.h"

#include "diagnostics.h"
#include "engine/shardengine.h"
#include "platform/localaccess.h"
#include "service/controlpaths.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>

using namespace Qt::StringLiterals;

namespace {
QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

// What a service already listening there says of itself, or an empty object when none answers.
QJsonObject askRunning(const QString &path)
{
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(1000))
        return {};
    QJsonObject hello = ControlServer::readObject(socket, 2000);
    if (hello.isEmpty())
        hello.insert(u"type"_s, u"unknown"_s); // something answers there, but not as we do
    return hello;
}
} // namespace

ControlServer::ControlServer(ShardEngine *engine, const QString &profilePath, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_profilePath(QFileInfo(profilePath).absoluteFilePath())
    , m_path(ControlPaths::socketFor(profilePath))
    , m_server(new QLocalServer(this))
{
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
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

bool ControlServer::listen(QString *error)
{
    const QString directory = ControlPaths::directory();
    QString why;
    if (!LocalAccess::makePrivateDirectory(directory, &why)) {
        *error = tr("cannot make the control folder %1: %2").arg(directory, why);
        return false;
    }
    if (QFileInfo::exists(m_path)) {
        const QJsonObject running = askRunning(m_path);
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
    return line({{u"type"_s, u"hello"_s},
                 {u"protocol"_s, kProtocol},
                 {u"pid"_s, QCoreApplication::applicationPid()},
                 {u"since"_s, m_since.toString(Qt::ISODateWithMs)},
                 {u"profile"_s, m_profilePath}});
}

QByteArray ControlServer::snapshotLine() const
{
    QJsonArray processes;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ProcessView *p = m_engine->process(i);
        QJsonObject o {{u"process"_s, i},
                       {u"first"_s, p->range().first},
                       {u"last"_s, p->range().last},
                       {u"state"_s, processStateName(p->state())},
                       {u"restarts"_s, p->restarts()}};
        if (p->pid() > 0) {
            o.insert(u"pid"_s, p->pid());
            o.insert(u"uptimeMs"_s, p->startedAt().msecsTo(now));
        }
        processes.append(o);
    }
    return line({{u"type"_s, u"snapshot"_s}, {u"processes"_s, processes}});
}

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
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
        qCDebug(lcControl) << "control client connected";
        socket->write(helloLine());
        socket->write(snapshotLine());
    }
}
