#include "service/remoteengine.h"

#include "diagnostics.h"
#include "service/eventcodec.h"

#include <QIODevice>

using namespace Qt::StringLiterals;

namespace {
// An empty history for a process index out of range.
const ResourceHistory kNoHistory;
} // namespace

RemoteEngine::RemoteEngine(QObject *parent)
    : AbstractEngine(parent)
{
}

RemoteEngine::~RemoteEngine() = default;

void RemoteEngine::attach(QIODevice *device)
{
    detach();
    m_device = device;
    m_helloSeen = false;
    connect(device, &QIODevice::readyRead, this, &RemoteEngine::onReadyRead);
    onReadyRead(); // what came before we listened
}

void RemoteEngine::detach()
{
    if (m_device)
        disconnect(m_device, nullptr, this, nullptr);
    m_device = nullptr;
    m_pending.clear();
    m_pendingMessages.clear();
    if (std::exchange(m_attached, false))
        emit attachedChanged(false);
}

RemoteProcess *RemoteEngine::remote(int index) const
{
    if (index < 0 || index >= int(m_processes.size()))
        return nullptr;
    return m_processes[size_t(index)].get();
}

bool RemoteEngine::setProfile(const Profile &profile, QList<ProfileError> *errors)
{
    const std::optional<QList<ProfileError>> checked = checkProfileChange(profile, errors);
    if (!checked)
        return false;
    const QList<ProfileError> &problems = *checked;
    if (m_attached) {
        // Kept until the next start: the service checks, saves and rebuilds then, and its
        // "plan" event rebuilds the mirror. Each keystroke in a form does not rewrite its file.
        m_edited.reset();
        if (!(profile == m_profile))
            m_edited = profile;
        return problems.isEmpty();
    }
    if (profile == m_profile && !m_processes.empty())
        return problems.isEmpty();
    m_profile = profile;
    rebuildFromProfile();
    return problems.isEmpty();
}

void RemoteEngine::rebuildFromProfile()
{
    emit processesAboutToBeRebuilt();
    m_processes.clear();
    const int shards = m_profile.maxShardsAuto ? m_gateway.shards : m_profile.maxShards;
    if (shards > 0 && m_profile.shardsPerProcess > 0) {
        const QList<ShardRange> ranges
            = ShardPlan::compute(shards, m_profile.shardsPerProcess, m_profile.waitTime);
        m_processes.reserve(size_t(ranges.size()));
        for (const ShardRange &range : ranges)
            m_processes.push_back(std::make_unique<RemoteProcess>(range));
    }
    emit processesRebuilt();
}

QList<ShardRange> RemoteEngine::plan() const
{
    return schedule();
}

QList<ShardRange> RemoteEngine::schedule() const
{
    QList<ShardRange> ranges;
    ranges.reserve(qsizetype(m_processes.size()));
    for (const auto &p : m_processes)
        ranges.append(p->range());
    return ranges;
}

void RemoteEngine::setToken(const QString &token)
{
    // Kept to give a service that has none (one started after this window read the keychain).
    m_pendingToken = token;
    if (m_attached)
        send(u"setToken"_s, {{u"token"_s, token}});
    else
        m_hasToken = !token.isEmpty();
}

RunStatus RemoteEngine::status() const
{
    RunStatus status = m_status;
    status.busy = isBusy();
    status.running = 0;
    for (const auto &p : m_processes)
        status.running += int(p->state() == ProcessState::Running);
    return status;
}

bool RemoteEngine::isBusy() const
{
    for (const auto &p : m_processes) {
        const ProcessState s = p->state();
        if (s == ProcessState::Starting || s == ProcessState::Running || s == ProcessState::Stopping
            || s == ProcessState::Restarting
            || (s == ProcessState::Pending && m_status.sessionOpen))
            return true;
    }
    return false;
}

QList<ShardState> RemoteEngine::shardStates(int process) const
{
    const RemoteProcess *p = remote(process);
    return p ? p->m_shards.values() : QList<ShardState>();
}

const ResourceHistory &RemoteEngine::resources(int process) const
{
    const RemoteProcess *p = remote(process);
    return p ? p->m_resources : kNoHistory;
}

QJsonObject RemoteEngine::ipcStats(int process) const
{
    const RemoteProcess *p = remote(process);
    return p ? p->m_ipcStats : QJsonObject();
}

LaunchInfo RemoteEngine::launchInfo(int process) const
{
    const RemoteProcess *p = remote(process);
    if (!p)
        return {};
    if (p->m_launch.isValid())
        return p->m_launch; // as the service described it in its snapshot
    // A plan applied since (or a service without the field): the same description from the
    // profile, with the interpreter as found here.
    const int processes = processCount();
    const int total = processes > 0 ? this->process(processes - 1)->range().last + 1 : 0;
    return LaunchInfo::describe(profile(), p->range(), total, hasToken());
}

bool RemoteEngine::isReady(int process) const
{
    const RemoteProcess *p = remote(process);
    return p && p->m_ready;
}

int RemoteEngine::ipcConnectionCount(int process) const
{
    const RemoteProcess *p = remote(process);
    return p ? p->m_ipcConnections : 0;
}

void RemoteEngine::send(const QString &command, QJsonObject fields)
{
    if (!m_attached || !m_device) {
        emit notice(tr("not attached to the service: \"%1\" was not sent").arg(command));
        return;
    }
    const int id = m_nextCommand++;
    fields.insert(u"command"_s, command);
    fields.insert(u"id"_s, id);
    m_pending.insert(id, command);
    // Never the fields in a log: setToken carries the token.
    qCDebug(lcControl) << "sending" << command << id;
    m_device->write(EventCodec::line(fields));
}

bool RemoteEngine::startAll(QString *error)
{
    Q_UNUSED(error)
    if (!m_attached) {
        emit serviceNeeded();
        return true;
    }
    if (m_edited) {
        send(u"applyProfile"_s, {{u"profile"_s, m_edited->toJson()}});
        m_edited.reset();
    }
    send(u"start"_s);
    return true;
}

void RemoteEngine::stopAll()
{
    send(u"stop"_s);
}

void RemoteEngine::killAll()
{
    send(u"kill"_s);
}

void RemoteEngine::restartAll()
{
    send(u"restart"_s);
}

void RemoteEngine::rollingRestart()
{
    send(u"rollingRestart"_s);
}

bool RemoteEngine::startProcess(int index, QString *error)
{
    if (!m_attached) {
        if (error)
            *error = tr("no service runs this profile: Start All starts one");
        return false;
    }
    send(u"start"_s, {{u"process"_s, index}});
    return true;
}

void RemoteEngine::stopProcess(int index)
{
    send(u"stop"_s, {{u"process"_s, index}});
}

void RemoteEngine::killProcess(int index)
{
    send(u"kill"_s, {{u"process"_s, index}});
}

void RemoteEngine::restartProcess(int index)
{
    send(u"restart"_s, {{u"process"_s, index}});
}

int RemoteEngine::broadcast(const QString &text)
{
    if (m_attached && m_device)
        m_pendingMessages.insert(m_nextCommand, {-1, text});
    send(u"broadcast"_s, {{u"message"_s, text}});
    // What the last status said; the reply tells how many it really reached (ipcSent).
    return m_attached ? m_status.ipcConnections : 0;
}

int RemoteEngine::sendTo(int process, const QString &text)
{
    if (m_attached && m_device)
        m_pendingMessages.insert(m_nextCommand, {process, text});
    send(u"send"_s, {{u"process"_s, process}, {u"message"_s, text}});
    return m_attached ? ipcConnectionCount(process) : 0;
}

void RemoteEngine::fetchGateway()
{
    send(u"fetchGateway"_s);
}

void RemoteEngine::resumeAutoRestarts()
{
    send(u"resumeAutoRestarts"_s);
}

void RemoteEngine::stopService()
{
    send(u"stopService"_s);
}
