#pragma once

#include "process/processview.h"

#include <QObject>
#include <QSet>

#include <functional>

// Restarts the processes one at a time (DESIGN §6): the next goes when the one before is back,
// that is running, or ready when the bot reports readiness over IPC, and the identify pacing has
// passed. Anything else the process does on the way (crash loop, exit, stop) ends the run.
class RollingRestart : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RollingRestart)

public:
    // What it may ask of the engine's processes.
    struct Hooks {
        std::function<int()> count;
        std::function<void(int process)> restart;
        std::function<qint64(int process)> gapMs; // the pacing after this process's identifies
    };

    explicit RollingRestart(Hooks hooks, QObject *parent = nullptr);

    bool isRunning() const { return m_index >= 0; }
    void start();
    // Ends a run without a word (the session ended, all processes killed).
    void reset() { m_index = -1; }
    // Ends a run and says so.
    void cancel();
    // The processes were rebuilt: no process is known to report readiness any more.
    void forgetReadiness() { m_usesReady.clear(); }

    void onStateChanged(int process, ProcessState state);
    // The process said {"op":"ready"} over IPC: from now on the run waits for that.
    void onReady(int process, ProcessState state);

signals:
    void notice(const QString &text);

private:
    void step();
    void advance();

    Hooks m_hooks;
    int m_index = -1; // process being rolled, -1 when no run
    QSet<int> m_usesReady; // processes that have ever reported readiness
};
