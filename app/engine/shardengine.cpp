#include "engine/shardengine.h"

#include "diagnostics.h"

#include "discord/gatewayguard.h"
#include "engine/autoshards.h"
#include "engine/childlaunch.h"
#include "engine/memoryrestart.h"
#include "engine/processset.h"
#include "engine/restarthold.h"
#include "engine/rollingrestart.h"
#include "engine/session.h"
#include "engine/startqueue.h"
#include "ipc/ipcserver.h"
#include "process/resourcemonitor.h"
#include "process/shardprocess.h"

#include <QMetaMethod>

#include <algorithm>

using namespace Qt::StringLiterals;

ShardEngine::ShardEngine(QObject *parent)
    : AbstractEngine(parent)
    , m_ipc(new IpcServer(this))
    , m_guard(new GatewayGuard(this))
    , m_resources(new ResourceMonitor(this))
    , m_session(new Session(m_ipc, this))
    , m_processes(new ProcessSet(this))
{
    connect(m_processes, &ProcessSet::stateChanged, this, &ShardEngine::onProcessState);
    connect(m_processes, &ProcessSet::spawned, this, [this](int process, qint64 pid) {
        // Known before the child can exec, let alone connect: its first connection is
        // attributed at once, and never waits among the strangers.
        m_ipc->setProcess(process, pid, m_launch.ipcSecret(process));
        m_session->watch(process, pid);
    });
    connect(m_processes, &ProcessSet::started, this, [this](int process, qint64 pid) {
        m_resources->markStarted(process, QDateTime::currentMSecsSinceEpoch());
        emit processStarted(process, pid);
    });
    connect(m_processes, &ProcessSet::exited, this, [this](int process, const ExitInfo &info) {
        m_ipc->clearProcess(process);
        m_resources->markStopped(process);
        m_session->unwatch(process);
        m_ready.remove(process);
        emit processExited(process, info);
    });
    connect(m_processes, &ProcessSet::outputRead, this, &ShardEngine::onOutput);
    connect(m_session, &Session::logFileError, this, &ShardEngine::logFileError);
    connect(m_session, &Session::notice, this, &ShardEngine::notice);
    const auto view = [this](int index) { return process(index); };
    const auto count = [this] { return processCount(); };
    // Policies restart through the process itself: a restart they ask for happens in an open
    // session.
    const auto restart = [this](int index) { m_processes->at(index)->restart(); };
    m_startQueue = new StartQueue([this](int index) { return startIfPending(index); }, this);
    connect(m_startQueue, &StartQueue::drained, this, &ShardEngine::closeSessionIfIdle);
    m_rolling = new RollingRestart(
        {count, restart, [this](int index) { return startGapMs(index); }}, this);
    connect(m_rolling, &RollingRestart::notice, this, &ShardEngine::notice);
    m_hold = new RestartHold(
        {count, view, [this](bool paused) { m_processes->setAutoRestartPaused(paused); },
         [this](int index, const QString &reason) {
        m_processes->at(index)->blockAutoRestart(reason);
         },
         [this](int index) { startProcess(index); }},
        this);
    connect(m_hold, &RestartHold::notice, this, &ShardEngine::notice);
    connect(m_hold, &RestartHold::pausedChanged, this, &ShardEngine::autoRestartsPausedChanged);
    connect(m_guard, &GatewayGuard::budgetLow, m_hold, &RestartHold::pauseForBudget);
    m_memory = new MemoryRestart(
        m_resources, {view, [this](int index) { return m_hold->holdsBack(index); }, restart}, this);
    connect(m_memory, &MemoryRestart::notice, this, &ShardEngine::notice);

    m_resources->setInterval(EngineDefaults::kSampleIntervalMs);
    m_resources->setSource([this] { return m_processes->live(); });
    connect(m_resources, &ResourceMonitor::sampled, this, &ShardEngine::resourcesSampled);
    m_auto = new AutoShards(m_guard, this);
    connect(m_auto, &AutoShards::notice, this, &ShardEngine::notice);
    connect(m_guard, &GatewayGuard::fetched, this, &ShardEngine::onGatewayFetched);
    connect(m_guard, &GatewayGuard::failed, this, [this](const QString &message) {
        // Once, as gatewayFailed: --events json writes it as gatewayError, and the window and
        // the plain headless mode show it from there.
        emit gatewayFailed(message);
        if (m_auto->takeWaitingStart())
            emit startFailed(
                tr("maxShards is \"auto\" but Discord did not say how many: %1").arg(message));
    });

    connect(m_ipc, &IpcServer::messageReceived, this, &ShardEngine::ipcMessage);
    connect(m_ipc, &IpcServer::connectionsChanged, this, &ShardEngine::ipcConnectionsChanged);
    connect(m_ipc, &IpcServer::notice, this, &ShardEngine::notice);
    connect(m_ipc, &IpcServer::statsReceived, this, [this](int process, const QJsonObject &stats) {
        m_stats.insert(process, stats);
        emit statsReceived(process, stats);
    });
    connect(m_ipc, &IpcServer::processReady, this, [this](int process) {
        m_ready.insert(process);
        emit processReady(process);
        m_rolling->onReady(process, m_processes->at(process)->state());
    });
}

ShardEngine::~ShardEngine()
{
    // ShardProcess destructors kill what still runs; do it before the log goes away.
    m_processes->clear();
}

bool ShardEngine::setProfile(const Profile &profile, QList<ProfileError> *errors)
{
    const std::optional<QList<ProfileError>> checked = checkProfileChange(profile, errors);
    if (!checked)
        return false;
    const QList<ProfileError> &problems = *checked;

    // The same profile and plan again (Start after an edit was applied, a form re-sending what it
    // shows): keep the processes, and with them their history, restart counts and log panes.
    const int shards = !profile.maxShardsAuto        ? profile.maxShards
        : profile.discordApi == m_profile.discordApi ? m_auto->count()
                                                     : 0;
    const QList<ShardRange> current = m_processes->ranges();
    // Under "auto" the stored count is not what runs: the plan comparison below decides.
    Profile compared = profile;
    if (compared.maxShardsAuto && m_profile.maxShardsAuto)
        compared.maxShards = m_profile.maxShards;
    if (!current.isEmpty() && compared == m_profile
        && ShardPlan::slice(ShardPlan::compute(shards, profile.shardsPerProcess, profile.waitTime),
                            m_slice)
            == current)
        return problems.isEmpty();

    emit processesAboutToBeRebuilt();
    if (profile.discordApi != m_profile.discordApi || !profile.maxShardsAuto)
        m_auto->forget();
    m_profile = profile;
    m_guard->setCredentials(m_profile.discordApi, m_token);
    m_guard->setThreshold(identifyThreshold());
    m_shardStates.clear();
    m_stats.clear();
    m_ipc->forgetProcessCounts();
    m_memory->setLimit(m_profile.memoryRestart ? m_profile.memoryLimit : 0);
    m_ready.clear();
    m_rolling->forgetReadiness();
    m_launch.forgetSecrets();
    m_processes->rebuild(plan(), ChildLaunch::restartPolicy(m_profile),
                         [this](const ShardRange &range) {
        return m_launch.spec(m_profile, range, shardTotal(), m_token, processOffset());
    });
    m_resources->reset(m_processes->count());
    emit processesRebuilt();
    return problems.isEmpty();
}

QList<ShardRange> ShardEngine::plan() const
{
    // "auto" needs Discord's answer first; until then the plan is empty.
    const int shards = shardTotal();
    if (shards < 1)
        return {};
    return ShardPlan::slice(
        ShardPlan::compute(shards, m_profile.shardsPerProcess, m_profile.waitTime), m_slice);
}

int ShardEngine::processOffset() const
{
    const int shards = shardTotal();
    if (m_slice.isWhole() || shards < 1 || m_profile.shardsPerProcess < 1)
        return 0;
    const int processes = (shards + m_profile.shardsPerProcess - 1) / m_profile.shardsPerProcess;
    return ShardPlan::sliceBounds(processes, m_slice).first;
}

QList<ShardRange> ShardEngine::schedule() const
{
    return ShardPlan::paced(plan(), m_profile.waitTime, m_guard->maxConcurrency());
}

void ShardEngine::setToken(const QString &token)
{
    m_token = token;
    m_guard->setCredentials(m_profile.discordApi, m_token);
    m_processes->setSecrets({m_token});
}

void ShardEngine::setGuardian(const GuardianCommand &command)
{
    m_session->setGuardian(command);
}

bool ShardEngine::isSessionOpen() const
{
    return m_session->isOpen();
}

int ShardEngine::processCount() const
{
    return m_processes->count();
}

const ProcessView *ShardEngine::process(int index) const
{
    return m_processes->at(index);
}

RunStatus ShardEngine::status() const
{
    RunStatus status;
    status.sessionOpen = m_session->isOpen();
    status.busy = isBusy();
    status.running = m_processes->runningCount();
    status.rollingRestart = m_rolling->isRunning();
    status.autoRestartsPaused = m_hold->isPaused();
    status.logFile = m_profile.logFile.isEmpty() ? QString() : m_profile.resolvedLogFile();
    status.logFileFailing = m_session->logFileFailing();
    status.ipcAddress = m_ipc->isListening() ? m_ipc->address() : QString();
    status.ipcConnections = m_ipc->connectionCount();
    status.identifyBudget = m_guard->remaining();
    status.identifyThreshold = identifyThreshold();
    return status;
}

void ShardEngine::onProcessState(int process, ProcessState state)
{
    if (state == ProcessState::Starting)
        m_guard->spend(
            m_processes->at(process)->range().shardCount()); // each shard identifies once
    else if (state == ProcessState::Restarting)
        m_guard->refresh(60000); // the budget before restarts
    emit processStateChanged(process, state);
    m_rolling->onStateChanged(process, state);
    if (!m_processes->at(process)->isActive())
        closeSessionIfIdle();
}

void ShardEngine::onOutput(int process, bool isStderr, const OutputBatch &batch)
{
    m_session->write(m_processes->at(process)->range(), isStderr, batch);
    // Only lines that name a shard can change its state: a read without one costs one search.
    static constexpr QByteArrayView kShard("Shard ");
    if (OutputText::contains(batch.text, kShard)) {
        ShardState state;
        batch.forEachLine([&](QByteArrayView line) {
            if (!OutputText::contains(line, kShard)
                || !m_shardStates.read(process, batch.decode(line), &state))
                return;
            emit shardStateChanged(process, state);
            m_hold->onShardState(process, state);
        });
    }
    emit outputRead(process, isStderr, batch);
    static const QMetaMethod textSignal = QMetaMethod::fromSignal(&AbstractEngine::linesRead);
    if (isSignalConnected(textSignal))
        emit linesRead(process, isStderr, batch.toStringList());
}

QList<ShardState> ShardEngine::shardStates(int process) const
{
    return m_shardStates.states(process);
}

void ShardEngine::fetchGateway()
{
    m_guard->refresh();
}

const GatewayInfo &ShardEngine::gatewayInfo() const
{
    return m_guard->info();
}

int ShardEngine::identifyThreshold() const
{
    return 2 * std::max(1, shardTotal());
}

int ShardEngine::shardTotal() const
{
    return m_auto->total(m_profile);
}

void ShardEngine::onGatewayFetched(const GatewayInfo &info)
{
    emit gatewayFetched(info);
    // Rebuild the plan with Discord's count, keeping "auto" in the profile.
    if (m_profile.maxShardsAuto && !isBusy() && m_auto->take(info.shards))
        setProfile(m_profile);
    if (!m_auto->takeWaitingStart())
        return;
    QString error;
    if (!startAll(&error))
        emit startFailed(error);
}

void ShardEngine::resumeAutoRestarts()
{
    if (!m_hold->isPaused())
        return;
    // The user has seen this budget and chose to go on: ask again only when a single full start
    // of the bot would no longer fit.
    m_guard->setThreshold(std::min(shardTotal(), std::max(0, m_guard->remaining())));
    m_hold->resume();
}

int ShardEngine::broadcast(const QString &text)
{
    return m_ipc->broadcast(text);
}

int ShardEngine::sendTo(int process, const QString &text)
{
    return m_ipc->sendTo(process, text);
}

qint64 ShardEngine::ipcMessagesSent() const
{
    return m_ipc->messagesSent();
}

qint64 ShardEngine::ipcMessagesSentTo(int process) const
{
    return m_ipc->messagesSentTo(process);
}

int ShardEngine::ipcConnectionCount(int process) const
{
    return m_ipc->connectionCount(process);
}

const ResourceHistory &ShardEngine::resources(int process) const
{
    return m_resources->history(process);
}

void ShardEngine::setSampleInterval(int ms)
{
    m_resources->setInterval(ms);
}

void ShardEngine::setMemoryRestartDelay(int ms)
{
    m_memory->setDelay(ms);
}
