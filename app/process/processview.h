#pragma once

#include "engine/shardplan.h"
#include "process/recentlines.h"

#include <QDateTime>
#include <QString>

// Lifecycle states of DESIGN §6.
enum class ProcessState {
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
    Exited,
    Restarting,
    CrashLoop
};
// The state's name for machines (the headless JSON events, debug lines): never translated.
QString processStateName(ProcessState state);
// The state as people read it (the table, notices): translated.
QString processStateText(ProcessState state);

// How one process ended.
struct ExitInfo {
    int code = 0; // exit code when !crashed
    int signal = 0; // terminating signal when crashed
    bool crashed = false; // ended by a signal
    bool requested = false; // the user (or a restart) asked it to stop
    bool failedToStart = false;
    QString error; // why it failed to start
    bool restartScheduled = false;
    qint64 restartInMs = 0;
    qint64 uptimeMs = 0;
    // Why an automatic restart did not happen although autoRestart is on (identify budget low,
    // a close code Discord says not to retry); empty otherwise.
    QString restartHeldBack;

    QString describe() const; // "exit code 3", "SIGSEGV", "failed to start: ..."
};

// What the models, panes and front ends may read of one process: the engine hands out this
// face only, so every command (start, stop, restart, send) goes through the engine.
class ProcessView {
public:
    virtual const ShardRange &range() const = 0;
    int index() const { return range().process; }
    virtual ProcessState state() const = 0;
    virtual qint64 pid() const = 0;
    virtual int restarts() const = 0;
    virtual const ExitInfo &lastExit() const = 0;
    virtual bool hasExited() const = 0;
    virtual QDateTime startedAt() const = 0;
    virtual QDateTime restartAt() const = 0; // when a scheduled restart is due
    virtual const RecentLines &recentLines() const = 0;
    // Why automatic restarts of this process are blocked (a fatal close code); empty when not.
    virtual QString autoRestartBlock() const = 0;
    bool isActive() const; // has (or is about to have) a live process

protected:
    ProcessView() = default;
    ~ProcessView() = default;
    Q_DISABLE_COPY_MOVE(ProcessView)
};
