#include "engine/shardengine.h"

#include "output/consoleecho.h"
#include "discord/gatewayguard.h"
#include "platform/guardian.h"
#include "process/resourcemonitor.h"
#include "ipc/ipcserver.h"
#include "output/logwriter.h"
#include "text/units.h"
#include "diagnostics.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <algorithm>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

ShardEngine::ShardEngine(QObject *parent)
    : QObject(parent)
    , m_ipc(new IpcServer(this))
    , m_guard(new GatewayGuard(this))
    , m_resources(new ResourceMonitor(this))
{
    m_sampleTimer.setInterval(1000);
    connect(&m_sampleTimer, &QTimer::timeout, this, &ShardEngine::sampleResources);
    connect(m_resources, &ResourceMonitor::sampled, this, &ShardEngine::resourcesSampled);
    connect(m_resources, &ResourceMonitor::memoryOverLimit, this, &ShardEngine::onMemoryOverLimit);
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
    connect(m_guard, &GatewayGuard::budgetLow, this, [this](int remaining, int threshold) {
        pauseAutoRestarts(tr("only %1 session starts (identifies) left today, under the guard's %2: "
                             "automatic restarts are paused so a crash loop cannot exhaust them "
                             "(Discord resets the token when they run out); resume by hand")
                              .arg(remaining).arg(threshold));
    });
    m_startTimer.setSingleShot(true);
    connect(&m_startTimer, &QTimer::timeout, this, &ShardEngine::startNextQueued);

    connect(m_ipc, &IpcServer::messageReceived, this, &ShardEngine::ipcMessage);
    connect(m_ipc, &IpcServer::connectionsChanged, this, &ShardEngine::ipcConnectionsChanged);
    connect(m_ipc, &IpcServer::notice, this, &ShardEngine::notice);
    connect(m_ipc, &IpcServer::statsReceived, this, [this](int process, const QJsonObject &stats) {
        m_stats.insert(process, stats);
        emit statsReceived(process, stats);
    });
    connect(m_ipc, &IpcServer::processReady, this, [this](int process) {
        m_ready.insert(process);
        m_usesReady.insert(process);
        emit processReady(process);
        if (m_rollingIndex == process && m_processes.at(process)->state() == ProcessState::Running)
            rollingAdvance();
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
    m_resources->setMemoryLimit(m_profile.memoryRestart ? m_profile.memoryLimit : 0, m_memoryRestartDelayMs);
    m_ready.clear();
    m_usesReady.clear();
    qDeleteAll(m_processes);
    m_processes.clear();
    m_ipcTokens.clear();
    for (const ShardRange &range : plan()) {
        auto *process = new ShardProcess(range, LaunchSpec(), restartPolicy(), this);
        process->setLaunchSpecProvider([this, range] { return launchSpec(range); });
        process->setSecrets({m_token});
        process->setAutoRestartPaused(m_autoRestartsPaused);
        connect(process, &ShardProcess::stateChanged, this,
                [this, process](ProcessState state) { onProcessState(process, state); });
        connect(process, &ShardProcess::spawned, this, [this, process](qint64 pid) {
            const int index = process->index();
            // Known before the child can exec, let alone connect: its first connection is
            // attributed at once, and never waits among the strangers.
            m_ipc->setProcess(index, pid, ipcToken(index));
            if (m_guardian) {
                m_guardian->watch(pid);
                m_guarded.insert(index, pid);
            }
        });
        connect(process, &ShardProcess::started, this, [this, process](qint64 pid) {
            m_resources->markStarted(process->index(), QDateTime::currentMSecsSinceEpoch());
            emit processStarted(process->index(), pid);
        });
        connect(process, &ShardProcess::exited, this, [this, process](const ExitInfo &info) {
            m_ipc->clearProcess(process->index());
            m_resources->markStopped(process->index());
            if (m_guardian && m_guarded.contains(process->index()))
                m_guardian->unwatch(m_guarded.take(process->index()));
            m_ready.remove(process->index());
            emit processExited(process->index(), info);
        });
        connect(process, &ShardProcess::linesRead, this,
                [this, process](bool isStderr, const QStringList &lines) {
                    onLines(process, isStderr, lines);
                });
        m_processes.append(process);
    }
    m_resources->reset(int(m_processes.size()));
    emit processesRebuilt();
    return problems.isEmpty();
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

ShardProcess *ShardEngine::process(int index) const
{
    return index >= 0 && index < m_processes.size() ? m_processes.at(index) : nullptr;
}

bool ShardEngine::isBusy() const
{
    if (!m_startQueue.isEmpty())
        return true;
    for (const ShardProcess *p : m_processes) {
        if (p->isActive() || p->state() == ProcessState::Restarting)
            return true;
    }
    return false;
}

int ShardEngine::runningCount() const
{
    int n = 0;
    for (const ShardProcess *p : m_processes)
        n += p->state() == ProcessState::Running ? 1 : 0;
    return n;
}

QString ShardEngine::logFilePath() const
{
    return m_profile.logFile.isEmpty() ? QString() : m_profile.resolvedLogFile();
}

bool ShardEngine::logFileFailing() const
{
    return m_log && m_log->hasError();
}

LaunchSpec ShardEngine::launchSpec(const ShardRange &range) const
{
    LaunchSpec spec;
    spec.program = m_profile.resolvedInterpreter();
    if (spec.program.isEmpty())
        spec.program = m_profile.interpreter; // QProcess reports "not found" on start
    spec.arguments = m_profile.childArguments(range, shardTotal());
    spec.workingDirectory = m_profile.resolvedWorkingDirectory();
    spec.environment = m_profile.childEnvironment(range, shardTotal(),
                                                  QString::fromLatin1(ipcToken(range.process)), m_token);
    return spec;
}

QByteArray ShardEngine::ipcToken(int process) const
{
    QByteArray &token = m_ipcTokens[process];
    if (token.isEmpty())
        token = QByteArray::number(QRandomGenerator::system()->generate64(), 16)
                + QByteArray::number(QRandomGenerator::system()->generate64(), 16);
    return token;
}

RestartPolicy ShardEngine::restartPolicy() const
{
    RestartPolicy policy;
    policy.autoRestart = m_profile.autoRestart;
    policy.delayMs = m_profile.restartDelay;
    policy.delayMaxMs = m_profile.restartDelayMax;
    policy.maxRestarts = m_profile.maxRestarts;
    policy.windowMs = m_profile.restartWindow;
    policy.stopTimeoutMs = m_profile.stopTimeout;
    return policy;
}

bool ShardEngine::openSession(QString *error)
{
    if (m_sessionOpen)
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

    // IPC first: if the port is taken, children would talk to someone else's server.
    m_ipc->setAcceptAny(m_profile.ipcAccept == Profile::IpcAccept::Any);
    m_ipc->setSecrets({m_token});
    if (!m_ipc->listen(m_profile.host, quint16(m_profile.port), error))
        return false;

    std::unique_ptr<LogWriter> log;
    if (!m_profile.logFile.isEmpty()) {
        log = std::make_unique<LogWriter>(m_profile.resolvedLogFile(), m_profile.timestamp);
        // How much may wait while the disk refuses writes (README: SHARD_MANAGER_LOG_BACKLOG).
        if (const auto backlog = parseByteSize(qEnvironmentVariable("SHARD_MANAGER_LOG_BACKLOG")))
            log->setMaxBacklog(std::max<qint64>(*backlog, 4096));
        if (!log->open(error)) {
            m_ipc->close();
            return false;
        }
        // Each problem once, as logFileError: the window and the plain headless mode show those.
        const QString path = log->path();
        connect(log.get(), &LogWriter::writeFailed, this, &ShardEngine::logFileError);
        connect(log.get(), &LogWriter::backlogFull, this, &ShardEngine::logFileError);
        connect(log.get(), &LogWriter::writeRecovered, this,
                [this, path](qint64 dropped, const QString &reason) {
                    if (dropped > 0)
                        emit logFileError(u"log file %1 writable again; %2"_s
                                              .arg(path, LogWriter::droppedText(dropped, reason)));
                    else
                        emit notice(u"log file writable again: "_s + path);
                });
        connect(log.get(), &LogWriter::linesLost, this,
                [this, path](qint64 lines, const QString &reason) {
                    emit logFileError(
                        u"log file %1: %2"_s.arg(path, LogWriter::droppedText(lines, reason)));
                });
    }
    m_log = std::move(log);
    m_echo = (m_echoAllowed && !m_profile.silent) ? std::make_unique<ConsoleEcho>() : nullptr;

    // Fresh per-process secrets every session: a child of an earlier run cannot reuse one.
    m_ipcTokens.clear();
    for (ShardProcess *p : std::as_const(m_processes))
        p->setRestartPolicy(restartPolicy());
    if (!m_guardian) {
        // Beside us, as installed and as built: the same executable in its --guardian role.
        const QString program = QCoreApplication::applicationDirPath() + u"/shard-manager"_s;
        m_guardian = new ProcessGuardian(program, this);
        if (!m_guardian->isRunning())
            emit notice(tr("no guardian process (%1 not found): helpers that bots fork may outlive "
                           "a manager that is killed").arg(program));
    }
    m_sessionOpen = true;
    qCDebug(lcEngine) << "session open:" << m_processes.size() << "processes, ipc" << m_ipc->address();
    m_sampleTimer.start();
    emit sessionOpened();
    return true;
}

void ShardEngine::closeSessionIfIdle()
{
    if (!m_sessionOpen || m_stoppingAll || isBusy())
        return;
    m_sessionOpen = false;
    qCDebug(lcEngine) << "session closed: every process has ended";
    m_rollingIndex = -1;
    m_sampleTimer.stop();
    m_ipc->close();
    if (m_log)
        m_log->close();
    m_log.reset();
    m_echo.reset();
    emit allStopped();
    if (m_restartAllAfterStop) {
        m_restartAllAfterStop = false;
        QString error;
        if (!startAll(&error))
            emit notice(u"restart failed: "_s + error);
    }
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
    m_startQueue = queue;
    for (int index : queue)
        m_processes.at(index)->markPending();
    m_startTimer.stop();
    startNextQueued();
    return true;
}

void ShardEngine::startNextQueued()
{
    while (!m_startQueue.isEmpty()) {
        ShardProcess *p = process(m_startQueue.takeFirst());
        // Stopped by the user while it waited in the queue: skip it.
        if (!p || p->state() != ProcessState::Pending)
            continue;
        p->start();
        if (!m_startQueue.isEmpty())
            m_startTimer.start(int(ShardPlan::startGapMs(p->range().shardCount(), m_profile.waitTime,
                                                         m_guard->maxConcurrency())));
        return;
    }
    closeSessionIfIdle();
}

void ShardEngine::stopAll()
{
    m_startQueue.clear();
    m_startTimer.stop();
    if (m_rollingIndex >= 0) {
        m_rollingIndex = -1;
        emit notice(u"rolling restart cancelled"_s);
    }
    // One check for the session's end after the loop, not one per process (100,000 of them).
    m_stoppingAll = true;
    for (ShardProcess *p : std::as_const(m_processes))
        p->stop();
    m_stoppingAll = false;
    closeSessionIfIdle();
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
    stopAll();
}

void ShardEngine::killAll()
{
    m_startQueue.clear();
    m_startTimer.stop();
    m_rollingIndex = -1;
    m_restartAllAfterStop = false;
    m_stoppingAll = true;
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->stop(); // first call: SIGTERM and the state "stopping"
        p->stop(); // second call: SIGKILL to the group now
    }
    m_stoppingAll = false;
    closeSessionIfIdle();
}

void ShardEngine::rollingRestart()
{
    if (m_rollingIndex >= 0 || m_processes.isEmpty())
        return;
    if (!m_sessionOpen) {
        restartAll();
        return;
    }
    m_rollingIndex = 0;
    emit notice(u"rolling restart: %1 processes, one at a time"_s.arg(m_processes.size()));
    rollingStep();
}

void ShardEngine::rollingStep()
{
    if (m_rollingIndex >= m_processes.size()) {
        m_rollingIndex = -1;
        emit notice(u"rolling restart finished"_s);
        return;
    }
    ShardProcess *p = m_processes.at(m_rollingIndex);
    p->restart();
}

void ShardEngine::rollingAdvance()
{
    const int gap = int(ShardPlan::startGapMs(m_processes.at(m_rollingIndex)->range().shardCount(),
                                              m_profile.waitTime, m_guard->maxConcurrency()));
    ++m_rollingIndex;
    // Keep the profile's spacing between identifies, as a start would.
    QTimer::singleShot(gap, this, [this] {
        if (m_rollingIndex >= 0)
            rollingStep();
    });
}

void ShardEngine::onProcessState(ShardProcess *process, ProcessState state)
{
    if (state == ProcessState::Starting)
        m_guard->spend(process->range().shardCount()); // each shard identifies once
    else if (state == ProcessState::Restarting)
        m_guard->refresh(60000);                        // the budget before restarts
    emit processStateChanged(process->index(), state);
    if (m_rollingIndex == process->index()) {
        // A bot that reports readiness over IPC is waited for; others count once running.
        if (state == ProcessState::Running && !m_usesReady.contains(process->index())) {
            rollingAdvance();
        } else if (state == ProcessState::CrashLoop || state == ProcessState::Exited
                   || state == ProcessState::Stopped || state == ProcessState::Restarting) {
            emit notice(u"rolling restart stopped: process %1 is %2"_s.arg(process->index())
                            .arg(processStateName(state)));
            m_rollingIndex = -1;
        }
    }
    if (!process->isActive())
        closeSessionIfIdle();
}

void ShardEngine::onLines(ShardProcess *process, bool isStderr, const QStringList &lines)
{
    const ShardRange &r = process->range();
    if (m_log)
        m_log->appendLines(r.first, r.last, isStderr, lines, QDateTime::currentDateTime());
    if (m_echo)
        m_echo->write(r.first, r.last, isStderr, lines);
    trackShardStates(process, lines);
    emit linesRead(r.process, isStderr, lines);
}

void ShardEngine::trackShardStates(ShardProcess *process, const QStringList &lines)
{
    ShardState state;
    for (const QString &line : lines) {
        if (!ShardStates::parse(line, &state))
            continue;
        state.changedAt = QDateTime::currentDateTime();
        m_shardStates[process->index()].insert(state.shard, state);
        emit shardStateChanged(process->index(), state);
        if (state.state == u"closed"_s && ShardStates::isFatalCloseCode(state.closeCode)
            && process->autoRestartBlock().isEmpty()) {
            const QString reason = tr("shard %1 was closed with %2 (%3), which Discord says not to retry")
                                       .arg(state.shard).arg(state.closeCode)
                                       .arg(ShardStates::closeCodeMeaning(state.closeCode));
            qCDebug(lcEngine) << "process" << process->index() << "restart blocked, fatal close code" << state.closeCode;
            process->blockAutoRestart(reason);
            emit notice(tr("process %1 will not be restarted automatically: %2").arg(process->index()).arg(reason));
        }
    }
}

QList<ShardState> ShardEngine::shardStates(int process) const
{
    QList<ShardState> list = m_shardStates.value(process).values();
    std::sort(list.begin(), list.end(), [](const ShardState &a, const ShardState &b) { return a.shard < b.shard; });
    return list;
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

int ShardEngine::identifyBudget() const
{
    return m_guard->remaining();
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

void ShardEngine::pauseAutoRestarts(const QString &reason)
{
    if (m_autoRestartsPaused)
        return;
    m_autoRestartsPaused = true;
    qCDebug(lcEngine) << "automatic restarts paused:" << reason;
    for (ShardProcess *p : std::as_const(m_processes))
        p->setAutoRestartPaused(true);
    emit notice(reason);
    emit autoRestartsPausedChanged(true, reason);
}

void ShardEngine::resumeAutoRestarts()
{
    if (!m_autoRestartsPaused)
        return;
    m_autoRestartsPaused = false;
    qCDebug(lcEngine) << "automatic restarts resumed, identify budget" << m_guard->remaining();
    // The user has seen this budget and chose to go on: ask again only when a single full start
    // of the bot would no longer fit.
    m_guard->setThreshold(std::min(shardTotal(), std::max(0, m_guard->remaining())));
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->setAutoRestartPaused(false);
        if (p->state() == ProcessState::Exited && !p->lastExit().restartHeldBack.isEmpty()
            && p->autoRestartBlock().isEmpty())
            startProcess(p->index());
    }
    emit autoRestartsPausedChanged(false, QString());
}

bool ShardEngine::startProcess(int index, QString *error)
{
    ShardProcess *p = process(index);
    if (!p || !openSession(error))
        return false;
    m_startQueue.removeAll(index);
    p->start();
    return true;
}

void ShardEngine::stopProcess(int index)
{
    if (ShardProcess *p = process(index)) {
        m_startQueue.removeAll(index);
        p->stop();
    }
    closeSessionIfIdle();
}

void ShardEngine::restartProcess(int index)
{
    ShardProcess *p = process(index);
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

QString ShardEngine::ipcAddress() const
{
    return m_ipc->isListening() ? m_ipc->address() : QString();
}

int ShardEngine::ipcConnectionCount() const
{
    return m_ipc->connectionCount();
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
    m_memoryRestartDelayMs = ms;
    m_resources->setMemoryLimit(m_profile.memoryRestart ? m_profile.memoryLimit : 0, ms);
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

void ShardEngine::onMemoryOverLimit(int process, qint64 rssBytes)
{
    ShardProcess *p = this->process(process);
    if (!p || p->state() != ProcessState::Running)
        return;
    const QString over = tr("process %1 has used %2 for %3 s, over memoryLimit (%4)")
                             .arg(process)
                             .arg(Units::dataSize(rssBytes))
                             .arg(m_memoryRestartDelayMs / 1000)
                             .arg(Units::dataSize(m_profile.memoryLimit));
    if (m_autoRestartsPaused || !p->autoRestartBlock().isEmpty()) {
        emit notice(over + tr("; not restarting it while automatic restarts are held back"));
        return;
    }
    qCDebug(lcEngine) << "process" << process << "over memoryLimit: restarting it";
    emit notice(over + tr(": restarting it (memoryRestart)"));
    p->restart();
}
