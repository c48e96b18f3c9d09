#pragma once

#include "discord/discordgateway.h"
#include "profile/profile.h"
#include "engine/shardplan.h"
#include "process/shardprocess.h"
#include "process/shardstates.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QObject>
#include <QTimer>

#include <memory>

class ConsoleEcho;
class GatewayGuard;
class ProcessGuardian;
class ResourceMonitor;
struct ResourceHistory;
class IpcServer;
class LogWriter;

// Runs one profile: owns a ShardProcess per shard range, starts them staggered, stops, restarts
// and rolling-restarts them, and feeds the log file and the console echo. Everything the UI and
// the headless runner show comes from its signals (DESIGN §4).
class ShardEngine : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardEngine)

public:
    explicit ShardEngine(QObject *parent = nullptr);
    ~ShardEngine() override;

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

    int processCount() const { return int(m_processes.size()); }
    ShardProcess *process(int index) const;
    bool isSessionOpen() const { return m_sessionOpen; }
    bool isBusy() const; // any process starting, running, stopping or about to
    int runningCount() const;
    QString logFilePath() const;
    bool logFileFailing() const;

    // Validates, opens the log file and starts every process waitTime apart.
    bool startAll(QString *error = nullptr);
    void stopAll();
    void restartAll();
    void rollingRestart();
    bool isRollingRestart() const { return m_rollingIndex >= 0; }
    // Second Ctrl+C: SIGKILL every process group now.
    void killAll();

    bool startProcess(int index, QString *error = nullptr);
    void stopProcess(int index);
    void restartProcess(int index);

    // IPC (DESIGN §5). Both return how many connections the text reached.
    int broadcast(const QString &text);
    int sendTo(int process, const QString &text);
    QString ipcAddress() const; // empty while no session is open
    int ipcConnectionCount() const;
    int ipcConnectionCount(int process) const;
    // The numbers a process last sent in {"op":"stats"} (guilds, ping, ...).
    QJsonObject ipcStats(int process) const { return m_stats.value(process); }
    bool isReady(int process) const { return m_ready.contains(process); }

    // Discord (DESIGN §2 maxShards "auto", identify budget). Asked at each start when a token is
    // set; fetchGateway() asks now.
    void fetchGateway();
    const GatewayInfo &gatewayInfo() const;
    int identifyBudget() const;          // session starts left as counted, -1 unknown
    int identifyThreshold() const;       // automatic restarts pause under it (2x the shards)
    bool areAutoRestartsPaused() const { return m_autoRestartsPaused; }
    // The user's decision to go on: restarts resume, processes held back start again.
    void resumeAutoRestarts();
    // How a gatewayFailed message is shown to a person (the window, the headless status lines).
    static QString gatewayFailureText(const QString &message);
    // Per-shard states read from the bot's log lines (Discordia format).
    QList<ShardState> shardStates(int process) const;

    // Memory and CPU of each process tree, sampled every second while a session runs.
    const ResourceHistory &resources(int process) const;
    void setSampleInterval(int ms);
    // How long a process must stay above memoryLimit before memoryRestart acts (30 s).
    void setMemoryRestartDelay(int ms);

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
    LaunchSpec launchSpec(const ShardRange &range) const;
    int shardTotal() const;
    RestartPolicy restartPolicy() const;
    void startNextQueued();
    void rollingStep();
    void rollingAdvance();
    void onProcessState(ShardProcess *process, ProcessState state);
    void onLines(ShardProcess *process, bool isStderr, const QStringList &lines);
    void trackShardStates(ShardProcess *process, const QStringList &lines);
    void onGatewayFetched(const GatewayInfo &info);
    void pauseAutoRestarts(const QString &reason);
    void sampleResources();
    void onMemoryOverLimit(int process, qint64 rssBytes);

    Profile m_profile;
    QString m_token;
    QList<ShardProcess *> m_processes;
    QByteArray ipcToken(int process) const;
    // Per-process hello secrets of this session, made when a process first launches.
    mutable QHash<int, QByteArray> m_ipcTokens;
    // Set while stopping every process: the session's end is checked once, after the loop.
    bool m_stoppingAll = false;
    IpcServer *m_ipc;
    GatewayGuard *m_guard;
    ResourceMonitor *m_resources;
    ProcessGuardian *m_guardian = nullptr; // started with the first session
    QHash<int, qint64> m_guarded;          // process -> group the guardian watches
    QTimer m_sampleTimer;
    int m_memoryRestartDelayMs = 30000;
    bool m_autoRestartsPaused = false;
    bool m_startAfterFetch = false;
    int m_autoShards = 0; // maxShards resolved from Discord when the profile says "auto"
    QHash<int, QHash<int, ShardState>> m_shardStates;
    QHash<int, QJsonObject> m_stats;
    QSet<int> m_ready;       // processes that said {"op":"ready"} since they last started
    QSet<int> m_usesReady;   // processes that have ever said it: rolling restarts wait for it
    std::unique_ptr<LogWriter> m_log;
    std::unique_ptr<ConsoleEcho> m_echo;
    bool m_echoAllowed = true;
    bool m_sessionOpen = false;
    bool m_restartAllAfterStop = false;
    QList<int> m_startQueue;
    QTimer m_startTimer;
    int m_rollingIndex = -1; // process being rolled, -1 when no rolling restart runs
};
