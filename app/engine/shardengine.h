#pragma once

#include "discord/discordgateway.h"
#include "engine/childlaunch.h"
#include "engine/shardplan.h"
#include "platform/guardian.h"
#include "process/processview.h"
#include "process/shardstates.h"
#include "profile/profile.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
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
struct ResourceHistory;

// The defaults both the engine and the headless front end start from.
namespace EngineDefaults {
constexpr int kSampleIntervalMs = 1000; // resources sampled every second while a session runs
constexpr int kStatsIntervalMs = 10000; // --stats-interval: a stats event every 10 s
} // namespace EngineDefaults

// The whole run at a glance, as the window's status bar and the headless summary show it.
struct RunStatus {
    bool sessionOpen = false;
    bool busy = false; // any process starting, running, stopping or about to
    int running = 0;
    bool rollingRestart = false;
    bool autoRestartsPaused = false;
    QString logFile; // empty when the profile writes none
    bool logFileFailing = false;
    QString ipcAddress; // empty while no session is open
    int ipcConnections = 0;
    int identifyBudget = -1; // session starts left as counted, -1 unknown
    int identifyThreshold = 0; // automatic restarts pause under it (2x the shards)
};

// Runs one profile: builds its processes (ProcessSet, a ShardProcess per shard range), opens
// the session when they start and closes it when the last is down (Session: IPC server, log
// file, console echo, guardian), and takes every command. The restart policies are small
// objects beside it that watch the processes (StartQueue, RollingRestart, RestartHold,
// MemoryRestart). Models, panes and front ends read ProcessView and RunStatus and command
// through the engine; everything they show comes from its signals (DESIGN §4).
class ShardEngine : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardEngine)

public:
    explicit ShardEngine(QObject *parent = nullptr);
    ~ShardEngine() override;

    // --- Setting up
    // Replaces the profile and rebuilds the processes of its plan. Refused while any process
    // runs. Returns the validation problems (the plan is still built when only files are missing,
    // so a form can show it).
    bool setProfile(const Profile &profile, QList<ProfileError> *errors = nullptr);
    const Profile &profile() const { return m_profile; }
    QList<ShardRange> plan() const;
    // The plan with start offsets paced by Discord's identify limit once it is known.
    QList<ShardRange> schedule() const;
    // The token handed to every child in profile().tokenEnv; kept in memory only.
    void setToken(const QString &token);
    bool hasToken() const { return !m_token.isEmpty(); }
    // Off for `--events json`, whose lines carry the output already.
    void setEchoAllowed(bool allowed) { m_echoAllowed = allowed; }
    // The process that kills the shards' groups if the manager dies (ProcessGuardian), started
    // with the first session. main() knows how the program runs in that role; without one, none.
    void setGuardian(const GuardianCommand &command);
    // Memory and CPU of each process tree are sampled this often while a session runs.
    void setSampleInterval(int ms);
    // How long a process must stay above memoryLimit before memoryRestart acts (30 s).
    void setMemoryRestartDelay(int ms);

    // --- Reading: the run, each process, and what its bot told us
    RunStatus status() const;
    // The two parts of status() read on hot paths (a table cell, a guard before a command).
    bool isSessionOpen() const;
    bool isBusy() const;
    int processCount() const;
    // Null for an index out of range.
    const ProcessView *process(int index) const;
    // Per-shard states read from the bot's log lines (Discordia format).
    QList<ShardState> shardStates(int process) const;
    const ResourceHistory &resources(int process) const;
    // The numbers a process last sent in {"op":"stats"} (guilds, ping, ...).
    QJsonObject ipcStats(int process) const { return m_stats.value(process); }
    bool isReady(int process) const { return m_ready.contains(process); }
    int ipcConnectionCount(int process) const;
    const GatewayInfo &gatewayInfo() const;
    // How a gatewayFailed message is shown to a person (the window, the headless status lines).
    static QString gatewayFailureText(const QString &message);

    // --- Commands
    // Validates, opens the log file and starts every process waitTime apart.
    bool startAll(QString *error = nullptr);
    // SIGTERM to every process; asked again while they stop, SIGKILL to each group now
    // (ShardProcess::stop decides that, for each process).
    void stopAll();
    // Both stops at once: for a quit that must not wait for stopTimeout.
    void killAll();
    void restartAll();
    void rollingRestart();
    bool startProcess(int index, QString *error = nullptr);
    void stopProcess(int index);
    void restartProcess(int index);
    // IPC (DESIGN §5). Both return how many connections the text reached.
    int broadcast(const QString &text);
    int sendTo(int process, const QString &text);
    // Discord (DESIGN §2 maxShards "auto", identify budget). Asked at each start when a token is
    // set; fetchGateway() asks now.
    void fetchGateway();
    // The user's decision to go on after the identify budget paused automatic restarts:
    // restarts resume, processes held back start again.
    void resumeAutoRestarts();

signals:
    void processStarted(int process, qint64 pid);
    void linesRead(int process, bool isStderr, const QStringList &lines);
    void processExited(int process, const ExitInfo &info);
    void processStateChanged(int process, ProcessState state);
    void processesAboutToBeRebuilt();
    void processesRebuilt();
    // The manager's own messages for the user ("rolling restart finished", "log file failing").
    void notice(const QString &text);
    void logFileError(const QString &message);
    void sessionOpened();
    void allStopped();
    void ipcMessage(int connection, int process, const QString &text);
    void ipcConnectionsChanged();
    void processReady(int process);
    void statsReceived(int process, const QJsonObject &stats);
    void gatewayFetched(const GatewayInfo &info);
    void gatewayFailed(const QString &message);
    void autoRestartsPausedChanged(bool paused, const QString &reason);
    void shardStateChanged(int process, const ShardState &state);
    // A start that could not even begin (maxShards "auto" and Discord did not answer).
    void startFailed(const QString &message);
    void resourcesSampled();

private:
    bool openSession(QString *error);
    void closeSessionIfIdle();
    int shardTotal() const;
    int identifyThreshold() const;
    qint64 startGapMs(int process) const;
    qint64 startIfPending(int process);
    void onProcessState(int process, ProcessState state);
    void onLines(int process, bool isStderr, const QStringList &lines);
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
