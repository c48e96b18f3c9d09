#pragma once

#include "engine/abstractengine.h"
#include "engine/childlaunch.h"
#include "platform/guardian.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>

class AutoShards;
class GatewayGuard;
class IpcServer;
class MemoryRestart;
class ResourceMonitor;
class RestartHold;
class RollingRestart;
class Session;
class ProcessSet;
class StartQueue;

// Runs one profile: builds its processes (ProcessSet, a ShardProcess per shard range), opens
// the session when they start and closes it when the last is down (Session: IPC server, log
// file, console echo, guardian), and takes every command. The restart policies are small
// objects beside it that watch the processes (StartQueue, RollingRestart, RestartHold,
// MemoryRestart). Models, panes and front ends read ProcessView and RunStatus and command
// through the engine (AbstractEngine); everything they show comes from its signals (DESIGN §4).
class ShardEngine : public AbstractEngine {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardEngine)

public:
    explicit ShardEngine(QObject *parent = nullptr);
    ~ShardEngine() override;

    // --- Setting up (AbstractEngine says what each does)
    bool setProfile(const Profile &profile, QList<ProfileError> *errors = nullptr) override;
    const Profile &profile() const override { return m_profile; }
    QList<ShardRange> plan() const override;
    QList<ShardRange> schedule() const override;
    void setToken(const QString &token) override;
    bool hasToken() const override { return !m_token.isEmpty(); }
    // Off for `--events json`, whose lines carry the output already.
    void setEchoAllowed(bool allowed) { m_echoAllowed = allowed; }
    // The process that kills the shards' groups if the manager dies (ProcessGuardian), started
    // with the first session. main() knows how the program runs in that role; without one, none.
    void setGuardian(const GuardianCommand &command);
    // Memory and CPU of each process tree are sampled this often while a session runs.
    void setSampleInterval(int ms);
    // How long a process must stay above memoryLimit before memoryRestart acts (30 s).
    void setMemoryRestartDelay(int ms);

    // --- Reading
    RunStatus status() const override;
    bool isSessionOpen() const override;
    bool isBusy() const override;
    int processCount() const override;
    const ProcessView *process(int index) const override;
    QList<ShardState> shardStates(int process) const override;
    const ResourceHistory &resources(int process) const override;
    QJsonObject ipcStats(int process) const override { return m_stats.value(process); }
    LaunchInfo launchInfo(int process) const override
    {
        const ProcessView *p = this->process(process);
        return p ? LaunchInfo::describe(m_profile, p->range(), shardTotal(), hasToken())
                 : LaunchInfo();
    }
    bool isReady(int process) const override { return m_ready.contains(process); }
    int ipcConnectionCount(int process) const override;
    const GatewayInfo &gatewayInfo() const override;
    // The IPC server itself, for a front end that feeds it (headless stdin waits on its backlog).
    IpcServer *ipcServer() const { return m_ipc; }

    // --- Commands
    bool startAll(QString *error = nullptr) override;
    void stopAll() override;
    void killAll() override;
    void restartAll() override;
    void rollingRestart() override;
    bool startProcess(int index, QString *error = nullptr) override;
    void stopProcess(int index) override;
    void killProcess(int index) override;
    void restartProcess(int index) override;
    int broadcast(const QString &text) override;
    int sendTo(int process, const QString &text) override;
    void fetchGateway() override;
    void resumeAutoRestarts() override;

    // Runs only this slice of the plan (set before the profile; a bot over several machines).
    void setSlice(const ClusterSlice &slice) { m_slice = slice; }
    const ClusterSlice &slice() const { return m_slice; }
    // The number in the whole plan of this engine's process 0 (0 without a slice).
    int processOffset() const;

    // For the metrics: the session's log file counts, and messages the IPC server sent.
    const Session *session() const { return m_session; }
    qint64 ipcMessagesSent() const;
    qint64 ipcMessagesSentTo(int process) const;

signals:
    // The lines of one read as bytes: what the log file, the echo and the events take.
    // linesRead carries the same lines as text, emitted only while something listens.
    void outputRead(int process, bool isStderr, const OutputBatch &batch);

private:
    bool openSession(QString *error);
    void closeSessionIfIdle();
    int shardTotal() const;
    int identifyThreshold() const;
    qint64 startGapMs(int process) const;
    qint64 startIfPending(int process);
    void onProcessState(int process, ProcessState state);
    void onOutput(int process, bool isStderr, const OutputBatch &batch);
    void onGatewayFetched(const GatewayInfo &info);

    Profile m_profile;
    QString m_token;
    ChildLaunch m_launch;
    // Set while stopping every process: the session's end is checked once, after the loop.
    bool m_stoppingAll = false;
    IpcServer *m_ipc;
    GatewayGuard *m_guard;
    ResourceMonitor *m_resources;
    Session *m_session;
    ClusterSlice m_slice;
    ProcessSet *m_processes;
    StartQueue *m_startQueue;
    RollingRestart *m_rolling;
    RestartHold *m_hold;
    MemoryRestart *m_memory;
    AutoShards *m_auto;
    ShardStateTable m_shardStates;
    QHash<int, QJsonObject> m_stats;
    QSet<int> m_ready; // processes that said {"op":"ready"} since they last started
    bool m_echoAllowed = true;
    bool m_restartAllAfterStop = false;
};
