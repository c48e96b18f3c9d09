#include "shardengine.h"

#include "consoleecho.h"
#include "ipcserver.h"
#include "logwriter.h"

#include <QProcessEnvironment>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

ShardEngine::ShardEngine(QObject *parent)
    : QObject(parent)
    , m_ipc(new IpcServer(this))
{
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

    emit processesAboutToBeRebuilt();
    m_profile = profile;
    m_stats.clear();
    m_ready.clear();
    m_usesReady.clear();
    qDeleteAll(m_processes);
    m_processes.clear();
    m_ipcTokens.clear();
    for (const ShardRange &range : plan()) {
        auto *process = new ShardProcess(range, launchSpec(range), restartPolicy(), this);
        process->setSecrets({m_token});
        connect(process, &ShardProcess::stateChanged, this,
                [this, process](ProcessState state) { onProcessState(process, state); });
        connect(process, &ShardProcess::started, this, [this, process](qint64 pid) {
            const int index = process->index();
            // Known before the child can connect: its first connection is attributed at once.
            m_ipc->setProcess(index, pid, m_ipcTokens.value(index));
            emit processStarted(index, pid);
        });
        connect(process, &ShardProcess::exited, this, [this, process](const ExitInfo &info) {
            m_ipc->clearProcess(process->index());
            m_ready.remove(process->index());
            emit processExited(process->index(), info);
        });
        connect(process, &ShardProcess::linesRead, this,
                [this, process](bool isStderr, const QStringList &lines) {
                    onLines(process, isStderr, lines);
                });
        m_processes.append(process);
    }
    emit processesRebuilt();
    return problems.isEmpty();
}

QList<ShardRange> ShardEngine::plan() const
{
    // "auto" needs Discord's answer first; until then the plan is empty.
    if (m_profile.maxShardsAuto)
        return {};
    return ShardPlan::compute(m_profile.maxShards, m_profile.shardsPerProcess, m_profile.waitTime);
}

void ShardEngine::setToken(const QString &token)
{
    m_token = token;
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->setSecrets({m_token});
        p->setLaunchSpec(launchSpec(p->range()));
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
    spec.arguments = m_profile.interpreterArgs;
    spec.arguments << m_profile.resolvedFile() << QString::number(m_profile.port)
                   << QString::number(range.first) << QString::number(range.last)
                   << QString::number(m_profile.maxShards);
    spec.arguments << m_profile.arguments;
    spec.workingDirectory = m_profile.resolvedWorkingDirectory();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A token the manager itself was started with must not leak to children under another name.
    env.remove(m_profile.tokenEnv);
    env.insert(u"SHARDER_PORT"_s, QString::number(m_profile.port));
    env.insert(u"SHARDER_FIRST_SHARD"_s, QString::number(range.first));
    env.insert(u"SHARDER_LAST_SHARD"_s, QString::number(range.last));
    env.insert(u"SHARDER_SHARD_COUNT"_s, QString::number(m_profile.maxShards));
    env.insert(u"SHARDER_PROCESS"_s, QString::number(range.process));
    if (range.process < m_ipcTokens.size())
        env.insert(u"SHARDER_IPC_TOKEN"_s, QString::fromLatin1(m_ipcTokens.at(range.process)));
    if (!m_token.isEmpty())
        env.insert(m_profile.tokenEnv, m_token);
    spec.environment = env;
    return spec;
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
    if (m_profile.maxShardsAuto) {
        if (error)
            *error = u"maxShards: \"auto\" needs the recommended shard count from Discord, which this build cannot fetch yet; set a number"_s;
        return false;
    }
    if (m_processes.isEmpty()) {
        if (error)
            *error = u"the shard plan is empty"_s;
        return false;
    }

    // IPC first: if the port is taken, children would talk to someone else's server.
    IpcServer::Limits limits;
    limits.maxConnections = 4 * int(m_processes.size()) + 16;
    m_ipc->setLimits(limits);
    m_ipc->setAcceptAny(m_profile.ipcAccept == Profile::IpcAccept::Any);
    m_ipc->setSecrets({m_token.toUtf8()});
    if (!m_ipc->listen(m_profile.host, quint16(m_profile.port), error))
        return false;

    std::unique_ptr<LogWriter> log;
    if (!m_profile.logFile.isEmpty()) {
        log = std::make_unique<LogWriter>(m_profile.resolvedLogFile(), m_profile.timestamp);
        if (!log->open(error)) {
            m_ipc->close();
            return false;
        }
        connect(log.get(), &LogWriter::writeFailed, this, [this](const QString &message) {
            emit logFileError(message);
            emit notice(message);
        });
        connect(log.get(), &LogWriter::writeRecovered, this,
                [this] { emit notice(u"log file writable again: "_s + m_log->path()); });
    }
    m_log = std::move(log);
    m_echo = (m_echoAllowed && !m_profile.silent) ? std::make_unique<ConsoleEcho>() : nullptr;

    // Fresh per-process secrets every session: a child of an earlier run cannot reuse one.
    m_ipcTokens.clear();
    for (int i = 0; i < m_processes.size(); ++i)
        m_ipcTokens.append(QByteArray::number(QRandomGenerator::system()->generate64(), 16)
                           + QByteArray::number(QRandomGenerator::system()->generate64(), 16));
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->setLaunchSpec(launchSpec(p->range()));
        p->setRestartPolicy(restartPolicy());
    }
    m_sessionOpen = true;
    emit sessionOpened();
    return true;
}

void ShardEngine::closeSessionIfIdle()
{
    if (!m_sessionOpen || isBusy())
        return;
    m_sessionOpen = false;
    m_rollingIndex = -1;
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
    if (!openSession(error))
        return false;
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
            m_startTimer.start(m_profile.waitTime);
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
    for (ShardProcess *p : std::as_const(m_processes))
        p->stop();
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
    for (ShardProcess *p : std::as_const(m_processes)) {
        p->stop(); // first call: SIGTERM and the state "stopping"
        p->stop(); // second call: SIGKILL to the group now
    }
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
    ++m_rollingIndex;
    // Keep the profile's spacing between identifies, as a start would.
    QTimer::singleShot(m_profile.waitTime, this, [this] {
        if (m_rollingIndex >= 0)
            rollingStep();
    });
}

void ShardEngine::onProcessState(ShardProcess *process, ProcessState state)
{
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
    if (m_log) {
        const QDateTime now = QDateTime::currentDateTime();
        for (const QString &line : lines)
            m_log->append(r.first, r.last, isStderr, line, now);
    }
    if (m_echo)
        m_echo->write(r.first, r.last, isStderr, lines);
    emit linesRead(r.process, isStderr, lines);
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
