// RemoteEngine, its reading half: the service's hello, snapshot, events and replies applied to
// the mirror, each followed by the signal the engine itself would have sent.
#include "service/remoteengine.h"

#include "diagnostics.h"
#include "service/controlserver.h"
#include "service/eventcodec.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
QDateTime timeOf(const QJsonObject &object, const QString &key = u"time"_s)
{
    return QDateTime::fromString(object.value(key).toString(), Qt::ISODateWithMs);
}
} // namespace

void RemoteEngine::onReadyRead()
{
    while (m_device && m_device->canReadLine()) {
        const QByteArray line = m_device->readLine();
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (document.isObject())
            onLine(document.object());
        else
            qCWarning(lcControl) << "the service sent a line that is no JSON object";
    }
}

void RemoteEngine::onLine(const QJsonObject &object)
{
    const QString type = object.value(u"type"_s).toString();
    if (type == u"hello"_s) {
        const int protocol = object.value(u"protocol"_s).toInt();
        if (protocol != ControlServer::kProtocol) {
            emit notice(tr("the service speaks control protocol %1, this window %2: not attached")
                            .arg(protocol)
                            .arg(ControlServer::kProtocol));
            detach();
            return;
        }
        m_helloSeen = true;
        m_servicePid = object.value(u"pid"_s).toInteger();
        m_serviceSince = timeOf(object, u"since"_s);
        m_serviceProfile = object.value(u"profile"_s).toString();
    } else if (type == u"snapshot"_s && m_helloSeen) {
        applySnapshot(object);
    } else if (type == u"reply"_s) {
        onReply(object);
    } else if (object.contains(u"event"_s) && m_attached) {
        applyEvent(object.value(u"event"_s).toString(), object);
    }
}

void RemoteEngine::applyPlan(const QJsonObject &profile, const QJsonArray &processes)
{
    QList<ProfileError> ignored; // the service has checked it
    m_profile = Profile::fromJson(QJsonDocument(profile).toJson(),
                                  QFileInfo(m_serviceProfile).absolutePath(), &ignored);
    emit processesAboutToBeRebuilt();
    m_processes.clear();
    m_processes.reserve(size_t(processes.size()));
    for (const QJsonValue &value : processes) {
        const QJsonObject o = value.toObject();
        ShardRange range;
        range.process = int(m_processes.size());
        range.first = o.value(u"first"_s).toInt();
        range.last = o.value(u"last"_s).toInt();
        range.startOffsetMs = o.value(u"startOffsetMs"_s).toInteger();
        auto p = std::make_unique<RemoteProcess>(range);
        p->m_state = EventCodec::toState(o.value(u"state"_s).toString(u"pending"_s));
        p->m_restarts = o.value(u"restarts"_s).toInt();
        p->m_pid = o.value(u"pid"_s).toInteger();
        p->m_startedAt = timeOf(o, u"startedAt"_s);
        p->m_restartAt = timeOf(o, u"restartAt"_s);
        p->m_hasExited = o.contains(u"lastExit"_s);
        p->m_lastExit = EventCodec::toExit(o.value(u"lastExit"_s).toObject());
        p->m_autoRestartBlock = o.value(u"autoRestartBlock"_s).toString();
        p->m_ready = o.value(u"ready"_s).toBool();
        p->m_ipcConnections = o.value(u"ipcConnections"_s).toInt();
        p->m_ipcStats = o.value(u"ipcStats"_s).toObject();
        p->m_launch = LaunchInfo::fromJson(o.value(u"launch"_s).toObject());
        for (const QJsonValue &shard : o.value(u"shards"_s).toArray()) {
            const ShardState state = EventCodec::toShardState(shard.toObject());
            p->m_shards.insert(state.shard, state);
        }
        const QJsonObject resources = o.value(u"resources"_s).toObject();
        for (const QJsonValue &point : resources.value(u"recent"_s).toArray())
            p->m_resources.recent.push_back(EventCodec::toPoint(point.toArray()));
        for (const QJsonValue &point : resources.value(u"session"_s).toArray())
            p->m_resources.session.push_back(EventCodec::toPoint(point.toArray()));
        for (const QJsonValue &start : resources.value(u"starts"_s).toArray())
            p->m_resources.starts.append(start.toInteger());
        if (resources.contains(u"last"_s)) {
            p->m_resources.last = EventCodec::toPoint(resources.value(u"last"_s).toArray());
            p->m_resources.hasSample = true;
        }
        for (const QJsonValue &line : o.value(u"lines"_s).toArray()) {
            const QJsonArray l = line.toArray();
            p->m_lines.append({l.at(0).toInteger(), l.at(1).toBool(), l.at(2).toString()});
        }
        m_processes.push_back(std::move(p));
    }
    emit processesRebuilt();
}

void RemoteEngine::applySnapshot(const QJsonObject &snapshot)
{
    const QJsonObject run = snapshot.value(u"status"_s).toObject();
    m_status = RunStatus();
    m_status.sessionOpen = run.value(u"sessionOpen"_s).toBool();
    m_status.rollingRestart = run.value(u"rollingRestart"_s).toBool();
    m_status.autoRestartsPaused = run.value(u"autoRestartsPaused"_s).toBool();
    m_status.logFile = run.value(u"logFile"_s).toString();
    m_status.logFileFailing = run.value(u"logFileFailing"_s).toBool();
    m_status.ipcAddress = run.value(u"ipcAddress"_s).toString();
    m_status.identifyBudget = run.value(u"identifyBudget"_s).toInt(-1);
    m_status.identifyThreshold = run.value(u"identifyThreshold"_s).toInt();
    m_hasToken = run.value(u"hasToken"_s).toBool();
    m_gateway = snapshot.contains(u"gateway"_s)
        ? EventCodec::toGateway(snapshot.value(u"gateway"_s).toObject())
        : GatewayInfo();
    m_attached = true; // first: whoever hears of the rebuild may ask
    applyPlan(snapshot.value(u"profile"_s).toObject(), snapshot.value(u"processes"_s).toArray());
    m_edited.reset();
    m_status.ipcConnections = 0;
    for (const auto &p : m_processes)
        m_status.ipcConnections += p->m_ipcConnections;
    qCDebug(lcControl) << "attached to the service, pid" << m_servicePid << ":"
                       << m_processes.size() << "processes";
    emit attachedChanged(true);
    // A token this window has and the service lacks (it started before the keychain had one).
    if (!m_hasToken && !m_pendingToken.isEmpty())
        send(u"setToken"_s, {{u"token"_s, m_pendingToken}});
    for (const QJsonValue &message : snapshot.value(u"ipcMessages"_s).toArray()) {
        const QJsonObject m = message.toObject();
        emit ipcMessage(m.value(u"connection"_s).toInt(), m.value(u"process"_s).toInt(-1),
                        m.value(u"message"_s).toString());
    }
    if (m_status.sessionOpen)
        emit sessionOpened();
    if (m_gateway.valid)
        emit gatewayFetched(m_gateway);
    emit ipcConnectionsChanged();
    emit resourcesSampled();
}

void RemoteEngine::applyEvent(const QString &name, const QJsonObject &event)
{
    if (RemoteProcess *p = remote(event.value(u"process"_s).toInt(-1));
        p && event.contains(u"process"_s)) {
        applyProcessEvent(name, p, event);
        return;
    }
    if (name == u"plan"_s) {
        applyPlan(event.value(u"profile"_s).toObject(), event.value(u"processes"_s).toArray());
    } else if (name == u"notice"_s) {
        emit notice(event.value(u"message"_s).toString());
    } else if (name == u"logError"_s) {
        m_status.logFileFailing = true;
        emit logFileError(event.value(u"message"_s).toString());
    } else if (name == u"sessionOpened"_s) {
        m_status.sessionOpen = true;
        m_status.ipcAddress = event.value(u"ipcAddress"_s).toString();
        m_status.logFile = event.value(u"logFile"_s).toString();
        m_status.logFileFailing = false;
        emit sessionOpened();
    } else if (name == u"allStopped"_s) {
        m_status.sessionOpen = false;
        m_status.ipcAddress.clear();
        emit allStopped();
    } else if (name == u"ipcMessage"_s) {
        emit ipcMessage(event.value(u"connection"_s).toInt(), -1,
                        event.value(u"message"_s).toString());
    } else if (name == u"ipcConnections"_s) {
        m_status.ipcConnections = event.value(u"total"_s).toInt();
        const QJsonObject perProcess = event.value(u"processes"_s).toObject();
        for (int i = 0; i < int(m_processes.size()); ++i)
            m_processes[size_t(i)]->m_ipcConnections = perProcess.value(QString::number(i)).toInt();
        emit ipcConnectionsChanged();
    } else if (name == u"gateway"_s) {
        m_gateway = EventCodec::toGateway(event);
        emit gatewayFetched(m_gateway);
    } else if (name == u"gatewayError"_s) {
        emit gatewayFailed(event.value(u"message"_s).toString());
    } else if (name == u"autoRestarts"_s) {
        m_status.autoRestartsPaused = event.value(u"paused"_s).toBool();
        m_status.identifyBudget = event.value(u"identifyBudget"_s).toInt(-1);
        emit autoRestartsPausedChanged(m_status.autoRestartsPaused,
                                       event.value(u"reason"_s).toString());
    } else if (name == u"startFailed"_s) {
        emit startFailed(event.value(u"message"_s).toString());
    } else if (name == u"resources"_s) {
        for (const QJsonValue &value : event.value(u"samples"_s).toArray()) {
            QJsonArray sample = value.toArray();
            RemoteProcess *p = remote(sample.first().toInt(-1));
            sample.removeFirst();
            if (p)
                p->m_resources.record(EventCodec::toPoint(sample));
        }
        emit resourcesSampled();
    } else if (name == u"skipped"_s) {
        emit notice(tr("%n output line(s) skipped: this window fell behind the service", nullptr,
                       event.value(u"lines"_s).toInt()));
    }
}

void RemoteEngine::applyProcessEvent(const QString &name, RemoteProcess *p,
                                     const QJsonObject &event)
{
    const int i = p->index();
    if (name == u"output"_s || name == u"errorOutput"_s) {
        const bool isStderr = name == u"errorOutput"_s;
        const qint64 timeMs = timeOf(event).toMSecsSinceEpoch();
        QStringList lines;
        for (const QJsonValue &line : event.value(u"lines"_s).toArray())
            lines.append(line.toString());
        p->m_lines.append(timeMs, isStderr, lines);
        emit linesRead(i, isStderr, lines);
    } else if (name == u"started"_s) {
        p->m_pid = event.value(u"pid"_s).toInteger();
        p->m_restarts = event.value(u"restarts"_s).toInt(p->m_restarts);
        p->m_startedAt = timeOf(event);
        p->m_restartAt = QDateTime();
        p->m_ready = false;
        p->m_shards.clear();
        p->m_resources.starts.append(p->m_startedAt.toMSecsSinceEpoch());
        emit processStarted(i, p->m_pid);
    } else if (name == u"exited"_s) {
        p->m_lastExit = EventCodec::toExit(event);
        p->m_hasExited = true;
        p->m_pid = 0;
        p->m_ready = false;
        if (p->m_lastExit.restartScheduled)
            p->m_restartAt = timeOf(event).addMSecs(p->m_lastExit.restartInMs);
        emit processExited(i, p->m_lastExit);
    } else if (name == u"state"_s) {
        bool ok = false;
        const ProcessState state = EventCodec::toState(event.value(u"state"_s).toString(), &ok);
        if (!ok)
            return;
        p->m_state = state;
        emit processStateChanged(i, state);
    } else if (name == u"ipcMessage"_s) {
        emit ipcMessage(event.value(u"connection"_s).toInt(), i,
                        event.value(u"message"_s).toString());
    } else if (name == u"ready"_s) {
        p->m_ready = true;
        emit processReady(i);
    } else if (name == u"ipcStats"_s) {
        p->m_ipcStats = event.value(u"stats"_s).toObject();
        emit statsReceived(i, p->m_ipcStats);
    } else if (name == u"shardState"_s) {
        const ShardState state = EventCodec::toShardState(event);
        p->m_shards.insert(state.shard, state);
        emit shardStateChanged(i, state);
    }
}

void RemoteEngine::onReply(const QJsonObject &reply)
{
    const int id = reply.value(u"id"_s).toInt();
    const QString command = m_pending.take(id);
    const std::optional<std::pair<int, QString>> message
        = m_pendingMessages.contains(id) ? std::optional(m_pendingMessages.take(id)) : std::nullopt;
    if (reply.value(u"ok"_s).toBool()) {
        if (message)
            emit ipcSent(message->first, message->second, reply.value(u"reached"_s).toInt());
        return;
    }
    const QString error = reply.value(u"error"_s).toString();
    qCDebug(lcControl) << "command" << command << "failed:" << error;
    emit commandFailed(command, error);
    if (command == u"start"_s)
        emit startFailed(error);
    else
        emit notice(tr("the service refused \"%1\": %2").arg(command, error));
}
