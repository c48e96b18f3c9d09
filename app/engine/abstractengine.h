#pragma once

#include "discord/discordgateway.h"
#include "engine/launchinfo.h"
#include "engine/shardplan.h"
#include "process/processview.h"
#include "process/shardstates.h"
#include "profile/profile.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <optional>

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

// What models, panes and front ends see of a run: its reading surface, its commands and its
// signals. ShardEngine runs the processes itself; another implementation may mirror an engine
// that runs elsewhere (a service), so the window need not know which one it shows (issue 12).
class AbstractEngine : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbstractEngine)

public:
    explicit AbstractEngine(QObject *parent = nullptr);
    ~AbstractEngine() override;

    // --- Setting up
    // Replaces the profile and rebuilds the processes of its plan. Refused while any process
    // runs. Returns the validation problems (the plan is still built when only files are missing,
    // so a form can show it).
    virtual bool setProfile(const Profile &profile, QList<ProfileError> *errors = nullptr) = 0;
    virtual const Profile &profile() const = 0;
    virtual QList<ShardRange> plan() const = 0;
    // The plan with start offsets paced by Discord's identify limit once it is known.
    virtual QList<ShardRange> schedule() const = 0;
    // The token handed to every child in profile().tokenEnv; kept in memory only.
    virtual void setToken(const QString &token) = 0;
    virtual bool hasToken() const = 0;

    // --- Reading: the run, each process, and what its bot told us
    virtual RunStatus status() const = 0;
    // The two parts of status() read on hot paths (a table cell, a guard before a command).
    virtual bool isSessionOpen() const = 0;
    virtual bool isBusy() const = 0;
    virtual int processCount() const = 0;
    // Null for an index out of range.
    virtual const ProcessView *process(int index) const = 0;
    // Per-shard states read from the bot's log lines (Discordia format).
    virtual QList<ShardState> shardStates(int process) const = 0;
    virtual const ResourceHistory &resources(int process) const = 0;
    // The numbers a process last sent in {"op":"stats"} (guilds, ping, ...).
    virtual QJsonObject ipcStats(int process) const = 0;
    virtual bool isReady(int process) const = 0;
    virtual int ipcConnectionCount(int process) const = 0;
    virtual const GatewayInfo &gatewayInfo() const = 0;
    // How a process is (or would be) started, secrets as placeholders; invalid when unknown.
    virtual LaunchInfo launchInfo(int process) const
    {
        Q_UNUSED(process)
        return {};
    }
    // How a gatewayFailed message is shown to a person (the window, the headless status lines).
    static QString gatewayFailureText(const QString &message);
    // Why a profile is not changed now: processes run.
    static QString busyProfileChangeText();

    // --- Commands
    // Validates, opens the log file and starts every process waitTime apart.
    virtual bool startAll(QString *error = nullptr) = 0;
    // SIGTERM to every process; asked again while they stop, SIGKILL to each group now
    // (ShardProcess::stop decides that, for each process).
    virtual void stopAll() = 0;
    // Both stops at once: for a quit that must not wait for stopTimeout.
    virtual void killAll() = 0;
    virtual void restartAll() = 0;
    virtual void rollingRestart() = 0;
    virtual bool startProcess(int index, QString *error = nullptr) = 0;
    virtual void stopProcess(int index) = 0;
    // SIGKILL to the process's group at once, without the stop's grace (a requested exit).
    virtual void killProcess(int index) = 0;
    virtual void restartProcess(int index) = 0;
    // IPC (DESIGN §5). Both return how many connections the text reached.
    virtual int broadcast(const QString &text) = 0;
    virtual int sendTo(int process, const QString &text) = 0;
    // Discord (DESIGN §2 maxShards "auto", identify budget). Asked at each start when a token is
    // set; fetchGateway() asks now.
    virtual void fetchGateway() = 0;
    // The user's decision to go on after the identify budget paused automatic restarts:
    // restarts resume, processes held back start again.
    virtual void resumeAutoRestarts() = 0;

signals:
    void processStarted(int process, qint64 pid);
    // Lines of one read, as text. The engine that runs the processes emits them only while
    // something is connected (ShardEngine::outputRead carries them as bytes).
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

protected:
    // The start of every setProfile: refused while busy (nullopt, the reason appended to
    // errors), else the profile's problems (appended too).
    std::optional<QList<ProfileError>> checkProfileChange(const Profile &profile,
                                                          QList<ProfileError> *errors) const;
};
