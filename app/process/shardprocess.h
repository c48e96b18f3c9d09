#pragma once

#include "output/outputchannel.h"
#include "output/redactor.h"
#include "process/processview.h"

#include <QBasicTimer>
#include <QDateTime>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

// What to run: the exact program, argv and environment of DESIGN §1.
struct LaunchSpec {
    QString program;
    QStringList arguments;
    QProcessEnvironment environment;
    QString workingDirectory;
};

struct RestartPolicy {
    bool autoRestart = true;
    int delayMs = 1000;
    int delayMaxMs = 60000;
    int maxRestarts = 5;
    int windowMs = 60000;
    int stopTimeoutMs = 10000;
};

// One child process owning one shard range: starts it, reads its output in lines, stops it
// (SIGTERM to its group, SIGKILL after a timeout) and restarts it with exponential backoff.
class ShardProcess : public QObject, public ProcessView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardProcess)

public:
    ShardProcess(const ShardRange &range, const LaunchSpec &spec, const RestartPolicy &policy,
                 QObject *parent = nullptr);
    ~ShardProcess() override;

    const ShardRange &range() const override { return m_range; }
    ProcessState state() const override { return m_state; }
    qint64 pid() const override { return m_pid; }
    int restarts() const override { return m_restarts; }
    const ExitInfo &lastExit() const override { return m_lastExit; }
    bool hasExited() const override { return m_hasExited; }
    QDateTime startedAt() const override { return m_startedAt; }
    QDateTime restartAt() const override { return m_restartAt; }
    const RecentLines &recentLines() const override { return m_recent; }
    QString autoRestartBlock() const override { return m_autoRestartBlock; }

    void setLaunchSpec(const LaunchSpec &spec) { m_spec = spec; }
    // Asked at each launch instead of a spec kept per process: a plan of 100,000 processes would
    // otherwise hold 100,000 copies of the environment before any of them runs.
    void setLaunchSpecProvider(std::function<LaunchSpec()> provider)
    {
        m_specProvider = std::move(provider);
    }
    void setRestartPolicy(const RestartPolicy &policy) { m_policy = policy; }
    // Text that must never leave the manager (the token): replaced by "[token]" in every line.
    void setSecrets(const QStringList &secrets) { m_redactor.setSecrets(secrets); }
    // A partial line is delivered after this much silence (DESIGN §4: 100 ms).
    void setPartialLineDelay(int ms);

    void start();
    // SIGTERM to its group, SIGKILL after stopTimeout. Asked again while stopping, it kills the
    // group at once: the only place "a second stop kills" is decided (Stop All twice, a second
    // Ctrl+C, closing the window twice all come here through ShardEngine::stopAll).
    void stop();
    void restart();
    // Puts a stopped process back to "pending" (queued for a staggered start).
    void markPending();
    // While paused, an exit is left as "exited" instead of restarting (the identify budget guard).
    void setAutoRestartPaused(bool paused);
    bool isAutoRestartPaused() const { return m_autoRestartPaused; }
    // Stops automatic restarts of this process for a reason (a fatal close code); a start by
    // hand clears it.
    void blockAutoRestart(const QString &reason);
    // Leaves the crash loop (or a paused restart) so automatic restarts may happen again.
    void resetCrashHistory();

signals:
    void stateChanged(ProcessState state);
    // The child exists (forked), before it runs the program: its pid for bookkeeping only.
    void spawned(qint64 pid);
    void started(qint64 pid);
    // Lines in the order read, one signal per read to keep floods cheap.
    void outputRead(bool isStderr, const OutputBatch &batch);
    // The same lines as text, emitted only while something is connected (a flood is not
    // decoded for nobody).
    void linesRead(bool isStderr, const QStringList &lines);
    void exited(const ExitInfo &info);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void setState(ProcessState state);
    void onRestartTimeout();
    void launch();
    void readChannel(QProcess::ProcessChannel channel);
    void deliver(bool isStderr, OutputBatch batch);
    void onPartialLineTimeout(bool isStderr);
    void onStarted();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void finish(ExitInfo info);
    qint64 nextRestartDelay(qint64 uptimeMs);
    void releaseProcess();
    qint64 livePid() const;

    ShardRange m_range;
    LaunchSpec m_spec;
    std::function<LaunchSpec()> m_specProvider;
    RestartPolicy m_policy;
    Redactor m_redactor;
    QProcess *m_process = nullptr;
    ProcessState m_state = ProcessState::Pending;
    qint64 m_pid = 0;
    int m_restarts = 0;
    bool m_restartAfterStop = false;
    bool m_hasExited = false;
    ExitInfo m_lastExit;
    QDateTime m_startedAt;
    QDateTime m_restartAt;
    OutputChannel m_stdout {&m_redactor};
    OutputChannel m_stderr {&m_redactor};
    // Basic timers (an id each, no object): a waiting process must cost next to nothing.
    // One per channel: a busy stderr must not hold back a partial stdout line, nor the reverse.
    QBasicTimer m_stdoutPartialTimer;
    QBasicTimer m_stderrPartialTimer;
    QBasicTimer m_killTimer;
    QBasicTimer m_restartTimer;
    int m_partialLineDelayMs = 100;
    RecentLines m_recent;
    QList<qint64> m_crashTimes; // ms since epoch of recent unrequested exits
    int m_consecutiveCrashes = 0;
    bool m_autoRestartPaused = false;
    QString m_autoRestartBlock;
};
