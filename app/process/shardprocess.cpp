#include "process/shardprocess.h"

#include "diagnostics.h"
#include "platform/processcontrol.h"

#include <QMetaMethod>
#include <QTimerEvent>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// A child that prints megabytes without a newline gets them delivered in pieces this big,
// so one runaway line cannot grow the manager without bound.
constexpr qsizetype kMaxLineBytes = 16 * 1024 * 1024;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

ShardProcess::ShardProcess(const ShardRange &range, const LaunchSpec &spec,
                           const RestartPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_range(range)
    , m_spec(spec)
    , m_policy(policy)
{
}

void ShardProcess::timerEvent(QTimerEvent *event)
{
    // All four are single-shot: stopped first, so a handler may start its timer again.
    const int id = event->timerId();
    if (id == m_stdoutPartialTimer.timerId()) {
        m_stdoutPartialTimer.stop();
        onPartialLineTimeout(false);
    } else if (id == m_stderrPartialTimer.timerId()) {
        m_stderrPartialTimer.stop();
        onPartialLineTimeout(true);
    } else if (id == m_killTimer.timerId()) {
        m_killTimer.stop();
        qCDebug(lcProcess) << "process" << m_range.process << "did not stop within"
                           << m_policy.stopTimeoutMs << "ms: killing its group";
        ProcessControl::killGroup(livePid());
    } else if (id == m_restartTimer.timerId()) {
        m_restartTimer.stop();
        onRestartTimeout();
    } else {
        QObject::timerEvent(event);
    }
}

void ShardProcess::onRestartTimeout()
{
    // Paused (or blocked) while the backoff ran: stay down, as the guard asked.
    if (m_autoRestartPaused || !m_autoRestartBlock.isEmpty()) {
        m_restartAt = QDateTime();
        // The exit now ends here: say why, so a resume knows to start it again.
        m_lastExit.restartScheduled = false;
        m_lastExit.restartHeldBack = m_autoRestartBlock.isEmpty()
            ? tr("automatic restarts are paused")
            : m_autoRestartBlock;
        qCDebug(lcProcess) << "process" << m_range.process
                           << "restart held back:" << m_lastExit.restartHeldBack;
        setState(ProcessState::Exited);
        return;
    }
    ++m_restarts;
    launch();
}

ShardProcess::~ShardProcess()
{
    if (m_process) {
        // Never leave a shard running behind a manager that forgot it.
        m_process->disconnect(this);
        ProcessControl::killGroup(livePid());
        m_process->waitForFinished(5000);
    }
}

qint64 ShardProcess::livePid() const
{
    return m_process ? m_process->processId() : 0;
}

void ShardProcess::setState(ProcessState state)
{
    if (m_state == state && state != ProcessState::Restarting)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ShardProcess::markPending()
{
    if (!isActive()) {
        m_restartTimer.stop();
        setState(ProcessState::Pending);
    }
}

void ShardProcess::resetCrashHistory()
{
    m_crashTimes.clear();
    m_consecutiveCrashes = 0;
}

void ShardProcess::setPartialLineDelay(int ms)
{
    m_partialLineDelayMs = ms;
}

void ShardProcess::setAutoRestartPaused(bool paused)
{
    m_autoRestartPaused = paused;
}

void ShardProcess::blockAutoRestart(const QString &reason)
{
    m_autoRestartBlock = reason;
}

void ShardProcess::start()
{
    if (isActive())
        return;
    m_autoRestartBlock.clear(); // the user decided to try again
    if (m_state == ProcessState::CrashLoop)
        resetCrashHistory(); // starting by hand is the user's decision to try again
    m_restartTimer.stop();
    launch();
}

void ShardProcess::launch()
{
    m_restartAt = QDateTime();
    m_process = new QProcess(this);
    ProcessControl::prepare(m_process);
    const LaunchSpec spec = m_specProvider ? m_specProvider() : m_spec;
    m_process->setProcessEnvironment(spec.environment);
    m_process->setWorkingDirectory(spec.workingDirectory);
    m_process->setProgram(spec.program);
    m_process->setArguments(spec.arguments);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::started, this, &ShardProcess::onStarted);
    connect(m_process, &QProcess::finished, this, &ShardProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &ShardProcess::onErrorOccurred);
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { readChannel(QProcess::StandardOutput); });
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { readChannel(QProcess::StandardError); });
    setState(ProcessState::Starting);
    // The program and how many arguments, not their text: only the profile's, but kept short.
    qCDebug(lcProcess) << "process" << m_range.process << "starting" << spec.program << "with"
                       << spec.arguments.size() << "arguments in" << spec.workingDirectory;
    m_process->start();
    if (m_process && m_process->processId() > 0)
        emit spawned(m_process->processId());
}

void ShardProcess::onStarted()
{
    m_pid = m_process->processId();
    m_startedAt = QDateTime::currentDateTime();
    // A stop asked for while it was starting stands: the exit that follows is a requested one.
    if (m_state == ProcessState::Starting)
        setState(ProcessState::Running);
    qCDebug(lcProcess) << "process" << m_range.process << "started, pid" << m_pid;
    emit started(m_pid);
}

void ShardProcess::readChannel(QProcess::ProcessChannel channel)
{
    if (!m_process)
        return;
    const bool isStderr = channel == QProcess::StandardError;
    OutputChannel &channelOut = isStderr ? m_stderr : m_stdout;
    QByteArray data
        = isStderr ? m_process->readAllStandardError() : m_process->readAllStandardOutput();
    if (data.isEmpty())
        return;
    deliver(isStderr, channelOut.feed(std::move(data)));
    if (channelOut.tailSize() > kMaxLineBytes)
        deliver(isStderr, channelOut.takePartial());
    QBasicTimer &partialTimer = isStderr ? m_stderrPartialTimer : m_stdoutPartialTimer;
    if (channelOut.hasTail())
        partialTimer.start(m_partialLineDelayMs,
                           this); // restarted on every read: partial only after silence
    else
        partialTimer.stop();
}

void ShardProcess::onPartialLineTimeout(bool isStderr)
{
    // The timer only says that we have read nothing for a while, not that the child was silent: a
    // busy event loop may not have come round to its pipe yet, and cutting the line there would
    // split it in two. Take what the pipe holds first (a poll, no wait); more output restarts the
    // timer, and only a tail still unfinished then is a partial line.
    if (m_process)
        m_process->waitForReadyRead(0);
    if (!(isStderr ? m_stderrPartialTimer : m_stdoutPartialTimer).isActive())
        deliver(isStderr, (isStderr ? m_stderr : m_stdout).takePartial());
}

void ShardProcess::deliver(bool isStderr, OutputBatch batch)
{
    if (batch.isEmpty())
        return;
    batch.timeMs = nowMs();
    m_recent.append(batch, isStderr);
    emit outputRead(isStderr, batch);
    static const QMetaMethod textSignal = QMetaMethod::fromSignal(&ShardProcess::linesRead);
    if (isSignalConnected(textSignal))
        emit linesRead(isStderr, batch.toStringList());
}

void ShardProcess::onErrorOccurred(QProcess::ProcessError error)
{
    // Only a failed start ends without finished(); every other error is followed by it.
    if (error != QProcess::FailedToStart || !m_process)
        return;
    ExitInfo info;
    info.failedToStart = true;
    info.code = -1;
    info.error = m_process->errorString();
    info.requested = m_state == ProcessState::Stopping;
    qCDebug(lcProcess) << "process" << m_range.process << "failed to start:" << info.error;
    finish(info);
}

void ShardProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readChannel(QProcess::StandardOutput);
    readChannel(QProcess::StandardError);
    m_stdoutPartialTimer.stop();
    m_stderrPartialTimer.stop();
    deliver(false, m_stdout.takeAll());
    deliver(true, m_stderr.takeAll());
    // Whatever the child left behind in its group (a forked helper) goes with it: an orphaned
    // shard would keep its gateway session and answer every command twice.
    ProcessControl::killLeftovers(m_pid);

    ExitInfo info;
    info.crashed = status == QProcess::CrashExit;
    if (info.crashed)
        info.signal = exitCode;
    else
        info.code = exitCode;
    info.requested = m_state == ProcessState::Stopping;
    qCDebug(lcProcess) << "process" << m_range.process << "pid" << m_pid
                       << "ended:" << info.describe()
                       << (info.requested ? "(asked to stop)" : "(not asked)");
    finish(info);
}

void ShardProcess::finish(ExitInfo info)
{
    m_killTimer.stop();
    if (m_startedAt.isValid() && m_pid)
        info.uptimeMs = m_startedAt.msecsTo(QDateTime::currentDateTime());
    releaseProcess();
    m_pid = 0;
    m_hasExited = true;

    ProcessState next = ProcessState::Stopped;
    if (info.requested) {
        if (m_restartAfterStop) {
            m_restartAfterStop = false;
            m_lastExit = info;
            emit exited(info);
            ++m_restarts;
            launch();
            return;
        }
    } else if (m_policy.autoRestart && !m_autoRestartBlock.isEmpty()) {
        info.restartHeldBack = m_autoRestartBlock;
        next = ProcessState::Exited;
    } else if (m_policy.autoRestart && m_autoRestartPaused) {
        info.restartHeldBack = tr("automatic restarts are paused");
        next = ProcessState::Exited;
    } else if (m_policy.autoRestart && info.failedToStart
               && ProcessControl::isPermanentStartFailure(info.error)) {
        // Exec refused it (its arguments too long, the program gone): every retry would fail
        // the same way, so no backoff, no restart.
        next = ProcessState::CrashLoop;
    } else if (m_policy.autoRestart) {
        const qint64 delay = nextRestartDelay(info.uptimeMs);
        if (delay < 0) {
            next = ProcessState::CrashLoop;
        } else {
            info.restartScheduled = true;
            info.restartInMs = delay;
            m_restartAt = QDateTime::currentDateTime().addMSecs(delay);
            m_restartTimer.start(int(delay), this);
            next = ProcessState::Restarting;
        }
    } else {
        next = ProcessState::Exited;
    }
    qCDebug(lcProcess).noquote() << "process" << m_range.process << "now" << processStateName(next)
                                 << (info.restartScheduled
                                         ? u"(restart in %1 ms)"_s.arg(info.restartInMs)
                                         : info.restartHeldBack.isEmpty()
                                         ? QString()
                                         : u"(held back: %1)"_s.arg(info.restartHeldBack));
    m_lastExit = info;
    emit exited(info);
    setState(next);
}

qint64 ShardProcess::nextRestartDelay(qint64 uptimeMs)
{
    const qint64 now = nowMs();
    // A process that ran a whole window was healthy: its next crash starts the backoff afresh.
    if (uptimeMs >= m_policy.windowMs)
        m_consecutiveCrashes = 0;
    m_crashTimes.push_back(now);
    while (!m_crashTimes.empty() && m_crashTimes.front() <= now - m_policy.windowMs)
        m_crashTimes.pop_front();
    if (qsizetype(m_crashTimes.size()) > m_policy.maxRestarts)
        return -1;
    const int exponent = std::min(m_consecutiveCrashes++, 30);
    return std::min<qint64>(qint64(m_policy.delayMs) << exponent, m_policy.delayMaxMs);
}

void ShardProcess::releaseProcess()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
}

void ShardProcess::stop()
{
    switch (m_state) {
    case ProcessState::Starting:
    case ProcessState::Running:
        setState(ProcessState::Stopping);
        qCDebug(lcProcess) << "process" << m_range.process
                           << "stopping: SIGTERM to its group, kill after" << m_policy.stopTimeoutMs
                           << "ms";
        ProcessControl::terminateGroup(livePid());
        m_killTimer.start(m_policy.stopTimeoutMs, this);
        break;
    case ProcessState::Stopping:
        // Asked twice: the user does not want to wait for the timeout.
        m_restartAfterStop = false;
        qCDebug(lcProcess) << "process" << m_range.process
                           << "asked to stop again: killing its group";
        ProcessControl::killGroup(livePid());
        break;
    case ProcessState::Pending:
    case ProcessState::Restarting:
    case ProcessState::Exited:
    case ProcessState::CrashLoop:
        m_restartTimer.stop();
        m_restartAt = QDateTime();
        setState(ProcessState::Stopped);
        break;
    case ProcessState::Stopped: break;
    }
}

void ShardProcess::restart()
{
    if (isActive()) {
        m_restartAfterStop = true;
        if (m_state != ProcessState::Stopping)
            stop();
        return;
    }
    m_restartTimer.stop();
    ++m_restarts;
    start();
}
