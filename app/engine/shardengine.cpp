#include "engine/shardengine.h"

#include "discord/gatewayguard.h"
#include "engine/childlaunch.h"
#include "engine/memoryrestart.h"
#include "engine/restarthold.h"
#include "engine/rollingrestart.h"
#include "engine/startqueue.h"
#include "ipc/ipcserver.h"
#include "engine/session.h"
#include "process/resourcemonitor.h"
#include "process/shardprocess.h"


#include <algorithm>

using namespace Qt::StringLiterals;

ShardEngine::ShardEngine(QObject *parent)
    : QObject(parent)
    , m_ipc(new IpcServer(this))
    , m_guard(new GatewayGuard(this))
    , m_resources(new ResourceMonitor(this))
    , m_session(new Session(m_ipc, this))
{
    connect(m_session, &Session::logFileError, this, &ShardEngine::logFileError);
    connect(m_session, &Session::notice, this, &ShardEngine::notice);
    const auto view = [this](int index) { return process(index); };
    const auto count = [this] { return processCount(); };
    // Policies restart through the process itself: a restart they ask for happens in an open session.
    const auto restart = [this](int index) { m_processes.at(index)->restart(); };
    m_startQueue = new StartQueue([this](int index) { return startIfPending(index); }, this);
    connect(m_startQueue, &StartQueue::drained, this, &ShardEngine::closeSessionIfIdle);
    m_rolling = new RollingRestart({count, restart, [this](int index) { return startGapMs(index); }}, this);
    connect(m_rolling, &RollingRestart::notice, this, &ShardEngine::notice);
    m_hold = new RestartHold({count, view,
                              [this](bool paused) {
                                  for (ShardProcess *p : std::as_const(m_processes))
                                      p->setAutoRestartPaused(paused);
                              },
                              [this](int index, const QString &reason) {
                                  m_processes.at(index)->blockAutoRestart(reason);
                              },
                              [this](int index) { startProcess(index); }},
                             this);
    connect(m_hold, &RestartHold::notice, this, &ShardEngine::notice);
    connect(m_hold, &RestartHold::pausedChanged, this, &ShardEngine::autoRestartsPausedChanged);
    connect(m_guard, &GatewayGuard::budgetLow, m_hold, &RestartHold::pauseForBudget);
    m_memory = new MemoryRestart(m_resources, {view, [this](int index) { return m_hold->holdsBack(index); }, restart},
                                 this);
    connect(m_memory, &MemoryRestart::notice, this, &ShardEngine::notice);

    m_sampleTimer.setInterval(EngineDefaults::kSampleIntervalMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, &ShardEngine::sampleResources);
    connect(m_resources, &ResourceMonitor::sampled, this, &ShardEngine::resourcesSampled);
    connect(m_guard, &GatewayGuard::fetched, this, &ShardEngine::onGatewayFetched);
    connect(m_guard, &GatewayGuard::failed, this, [this](const QString &message) {
        // Once, as gatewayFailed: --events json writes it as gatewayError, and the window and
        // the plain headless mode show it from there.
        emit gatewayFailed(message);
        if (m_startAfterFetch) {
            m_startAfterFetch = false;
            emit startFailed(tr("maxShards is \"auto\" but Discord did not say how many: %1").arg(message));
        }
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
        m_rolling->onReady(process, m_processes.at(process)->state());
    });
}

ShardEngine::~ShardEngine()
{
    // ShardProcess destructors kill what still runs; do it before the log goes away.
    qDeleteAll(m_processes);
    m_processes.clear();
}

bool ShardEngine::setProfile(const Profile &profile, QList<ProfileError> *errors)
{
    if (isBusy()) {
        if (errors)
            errors->append({QString(), u"stop the running processes before changing the profile"_s});
        return false;
    }
    const QList<ProfileError> problems = profile.validate();
    if (errors)
        errors->append(problems);

    // The same profile and plan again (Start after an edit was applied, a form re-sending what it
    // shows): keep the processes, and with them their history, restart counts and log panes.
    const int shards = !profile.maxShardsAuto                          ? profile.maxShards
                       : profile.discordApi == m_profile.discordApi ? m_autoShards
                                                                     : 0;
    QList<ShardRange> current;
    for (const ShardProcess *p : std::as_const(m_processes))
        current.append(p->range());
    if (!current.isEmpty() && profile.baseDirectory == m_profile.baseDirectory
        && profile.toJson() == m_profile.toJson()
        && ShardPlan::compute(shards, profile.shardsPerProcess, profile.waitTime) == current)
        return problems.isEmpty();

    emit processesAboutToBeRebuilt();
    if (profile.discordApi != m_profile.discordApi || !profile.maxShardsAuto)
        m_autoShards = 0;
    m_profile = profile;
    m_guard->setCredentials(m_profile.discordApi, m_token);
    m_guard->setThreshold(identifyThreshold());
    m_shardStates.clear();
    m_stats.clear();
    m_memory->setLimit(m_profile.memoryRestart ? m_profile.memoryLimit : 0);
    m_ready.clear();
    m_rolling->forgetReadiness();
    qDeleteAll(m_processes);
    m_processes.clear();
    m_launch.forgetSecrets();
    for (const ShardRange &range : plan())
        m_processes.append(makeProcess(range));
    m_resources->reset(int(m_processes.size()));
    emit processesRebuilt();
    return problems.isEmpty();
}

ShardProcess *ShardEngine::makeProcess(const ShardRange &range)
{
    auto *process = new ShardProcess(range, LaunchSpec(), ChildLaunch::restartPolicy(m_profile), this);
    process->setLaunchSpecProvider([this, range] { return m_launch.spec(m_profile, range, shardTotal(), m_token); });
    process->setSecrets({m_token});
    process->setAutoRestartPaused(m_hold->isPaused());
    connect(process, &ShardProcess::stateChanged, this,
            [this, process](ProcessState state) { onProcessState(process, state); });
    connect(process, &ShardProcess::spawned, this, [this, process](qint64 pid) {
        const int index = process->index();
        // Known before the child can exec, let alone connect: its first connection is
        // attributed at once, and never waits among the strangers.
        m_ipc->setProcess(index, pid, m_launch.ipcSecret(index));
        m_session->watch(index, pid);
    });
    connect(process, &ShardProcess::started, this, [this, process](qint64 pid) {
        m_resources->markStarted(process->index(), QDateTime::currentMSecsSinceEpoch());
        emit processStarted(process->index(), pid);
    });
    connect(process, &ShardProcess::exited, this, [this, process](const ExitInfo &info) {
        m_ipc->clearProcess(process->index());
        m_resources->markStopped(process->index());
        m_session->unwatch(process->index());
        m_ready.remove(process->index());
        emit processExited(process->index(), info);
    });
    connect(process, &ShardProcess::linesRead, this,
            [this, process](bool isStderr, const QStringList &lines) { onLines(process, isStderr, lines); });
    return process;
}

QList<ShardRange> ShardEngine::plan() const
{
    // "auto" needs Discord's answer first; until then the plan is empty.
    const int shards = m_profile.maxShardsAuto ? m_autoShards : m_profile.maxShards;
    if (shards < 1)
        return {};
    return ShardPlan::compute(shards, m_profile.shardsPerProcess, m_profile.waitTime);
}

QList<ShardRange> ShardEngine::schedule() const
{
    return ShardPlan::paced(plan(), m_profile.waitTime, m_guard->maxConcurrency());
}

void ShardEngine::setToken(const QString &token)
{
    m_token = token;
    m_guard->setCredentials(m_profile.discordApi, m_token);
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->setSecrets({m_token});
    }
}

void ShardEngine::setGuardian(const GuardianCommand &command)
{
    m_session->setGuardian(command);
}

bool ShardEngine::isSessionOpen() const
{
    return m_session->isOpen();
}

const ProcessView *ShardEngine::process(int index) const
{
    return index >= 0 && index < m_processes.size() ? m_processes.at(index) : nullptr;
}

RunStatus ShardEngine::status() const
{
    RunStatus status;
    status.sessionOpen = m_session->isOpen();
    status.busy = isBusy();
    for (const ShardProcess *p : m_processes)
        status.running += p->state() == ProcessState::Running ? 1 : 0;
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

bool ShardEngine::openSession(QString *error)
{
    if (m_session->isOpen())
        return true;
    const QList<ProfileError> problems = m_profile.validate();
    if (!problems.isEmpty()) {
        if (error) {
            QStringList lines;
            for (const ProfileError &e : problems)
                lines << e.toString();
            *error = lines.join(u'\n');
        }
        return false;
    }
    if (m_profile.maxShardsAuto && m_autoShards < 1) {
        if (error)
            *error = u"maxShards: \"auto\" needs the recommended shard count from Discord first"_s;
        return false;
    }
    if (m_processes.isEmpty()) {
        if (error)
            *error = u"the shard plan is empty"_s;
        return false;
    }
    if (!m_session->open(m_profile, m_token, m_echoAllowed, error))
        return false;
    // Fresh per-process secrets every session: a child of an earlier run cannot reuse one.
    m_launch.forgetSecrets();
    for (ShardProcess *p : std::as_const(m_processes))
        p->setRestartPolicy(ChildLaunch::restartPolicy(m_profile));
    m_sampleTimer.start();
    emit sessionOpened();
    return true;
}

void ShardEngine::closeSessionIfIdle()
{
    if (!m_session->isOpen() || m_stoppingAll || isBusy())
        return;
    m_session->close();
    m_rolling->reset();
    m_sampleTimer.stop();
    emit allStopped();
    if (m_restartAllAfterStop) {
        m_restartAllAfterStop = false;
        QString error;
        if (!startAll(&error))
            emit notice(u"restart failed: "_s + error);
    }
}

bool ShardEngine::isBusy() const
{
    if (!m_startQueue->isEmpty())
        return true;
    for (const ShardProcess *p : m_processes) {
        if (p->isActive() || p->state() == ProcessState::Restarting)
            return true;
    }
    return false;
}

bool ShardEngine::startAll(QString *error)
{
    if (m_profile.maxShardsAuto && m_autoShards < 1 && !isBusy()) {
        // Ask Discord first; the start goes on when it answers (or fails with startFailed).
        if (m_token.isEmpty()) {
            if (error)
                *error = u"maxShards: \"auto\" asks Discord for the shard count, which needs the bot token: set it first"_s;
            return false;
        }
        const QList<ProfileError> problems = m_profile.validate();
        if (!problems.isEmpty()) {
            if (error)
                *error = problems.first().toString();
            return false;
        }
        m_startAfterFetch = true;
        emit notice(tr("asking Discord for the recommended shard count…"));
        m_guard->refresh();
        return true;
    }
    if (!openSession(error))
        return false;
    // Fresh figures for pacing and the identify budget; the start does not wait for them.
    m_guard->refresh(60000);
    // Queue first, then mark: a state change with an empty queue would end the session.
    QList<int> queue;
    for (const ShardProcess *p : std::as_const(m_processes)) {
        if (!p->isActive())
            queue.append(p->index());
    }
    m_startQueue->set(queue);
    for (int index : queue)
        m_processes.at(index)->markPending();
    m_startQueue->next();
    return true;
}

qint64 ShardEngine::startIfPending(int index)
{
    ShardProcess *p = m_processes.value(index);
    // Stopped by the user while it waited in the queue: skip it.
    if (!p || p->state() != ProcessState::Pending)
        return -1;
    p->start();
    return startGapMs(index);
}

qint64 ShardEngine::startGapMs(int index) const
{
    return ShardPlan::startGapMs(m_processes.at(index)->range().shardCount(), m_profile.waitTime,
                                 m_guard->maxConcurrency());
}

void ShardEngine::stopAll()
{
    // A Stop All cancels a Restart All still stopping.
    m_restartAllAfterStop = false;
    stopEvery();
}

void ShardEngine::stopEvery()
{
    m_startQueue->clear();
    m_rolling->cancel();
    // One check for the session's end after the loop, not one per process (100,000 of them).
    m_stoppingAll = true;
    for (ShardProcess *p : std::as_const(m_processes))
        p->stop();
    m_stoppingAll = false;
    closeSessionIfIdle();
}

void ShardEngine::killAll()
{
    m_rolling->reset();
    stopAll(); // SIGTERM and the state "stopping"
    stopAll(); // asked again while stopping: SIGKILL to every group now
}

void ShardEngine::restartAll()
{
    if (!isBusy()) {
        QString error;
        if (!startAll(&error))
            emit notice(u"restart failed: "_s + error);
        return;
    }
    m_restartAllAfterStop = true;
    stopEvery();
}

void ShardEngine::rollingRestart()
{
    if (m_rolling->isRunning() || m_processes.isEmpty())
        return;
    if (!m_session->isOpen()) {
        restartAll();
        return;
    }
    m_rolling->start();
}

void ShardEngine::onProcessState(ShardProcess *process, ProcessState state)
{
    if (state == ProcessState::Starting)
        m_guard->spend(process->range().shardCount()); // each shard identifies once
    else if (state == ProcessState::Restarting)
        m_guard->refresh(60000);                        // the budget before restarts
    emit processStateChanged(process->index(), state);
    m_rolling->onStateChanged(process->index(), state);
    if (!process->isActive())
        closeSessionIfIdle();
}

void ShardEngine::onLines(ShardProcess *process, bool isStderr, const QStringList &lines)
{
    m_session->write(process->range(), isStderr, lines);
    trackShardStates(process, lines);
    emit linesRead(process->index(), isStderr, lines);
}

void ShardEngine::trackShardStates(ShardProcess *process, const QStringList &lines)
{
    ShardState state;
    for (const QString &line : lines) {
        if (!m_shardStates.read(process->index(), line, &state))
            continue;
        emit shardStateChanged(process->index(), state);
        m_hold->onShardState(process->index(), state);
    }
}

QList<ShardState> ShardEngine::shardStates(int process) const
{
    return m_shardStates.states(process);
}

void ShardEngine::fetchGateway()
{
    m_guard->refresh();
}

QString ShardEngine::gatewayFailureText(const QString &message)
{
    return tr("Discord gateway information: %1").arg(message);
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
    return m_profile.maxShardsAuto ? m_autoShards : m_profile.maxShards;
}

void ShardEngine::onGatewayFetched(const GatewayInfo &info)
{
    emit gatewayFetched(info);
    if (m_profile.maxShardsAuto && !isBusy() && info.shards != m_autoShards) {
        // Rebuild the plan with Discord's count, keeping "auto" in the profile.
        m_autoShards = info.shards;
        setProfile(m_profile);
    }
    if (!m_startAfterFetch)
        return;
    m_startAfterFetch = false;
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

bool ShardEngine::startProcess(int index, QString *error)
{
    ShardProcess *p = m_processes.value(index);
    if (!p || !openSession(error))
        return false;
    m_startQueue->remove(index);
    p->start();
    return true;
}

void ShardEngine::stopProcess(int index)
{
    if (ShardProcess *p = m_processes.value(index)) {
        m_startQueue->remove(index);
        p->stop();
    }
    closeSessionIfIdle();
}

void ShardEngine::restartProcess(int index)
{
    ShardProcess *p = m_processes.value(index);
    if (!p)
        return;
    QString error;
    if (!openSession(&error)) {
        emit notice(u"cannot restart process %1: %2"_s.arg(index).arg(error));
        return;
    }
    p->restart();
}

int ShardEngine::broadcast(const QString &text)
{
    return m_ipc->broadcast(text);
}

int ShardEngine::sendTo(int process, const QString &text)
{
    return m_ipc->sendTo(process, text);
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
    m_sampleTimer.setInterval(ms);
}

void ShardEngine::setMemoryRestartDelay(int ms)
{
    m_memory->setDelay(ms);
}

void ShardEngine::sampleResources()
{
    QList<std::pair<int, qint64>> live;
    for (const ShardProcess *p : std::as_const(m_processes)) {
        if (p->pid() > 0)
            live.append({p->index(), p->pid()});
    }
    m_resources->sample(live);
}
