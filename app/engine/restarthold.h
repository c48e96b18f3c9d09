#pragma once

#include "process/processview.h"
#include "process/shardstates.h"

#include <QObject>

#include <functional>

// Holds automatic restarts back where one would make things worse: all of them while Discord's
// identify budget runs low (a crash loop would spend it, and Discord resets the token when it
// runs out) until the user resumes, and one process's after a close code Discord says not to
// retry until it is started by hand.
class RestartHold : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestartHold)

public:
    // What it may read of the engine's processes and ask of them.
    struct Hooks {
        std::function<int()> count;
        std::function<const ProcessView *(int process)> process;
        std::function<void(bool paused)> setPaused; // on every process
        std::function<void(int process, const QString &reason)> block;
        std::function<void(int process)> start;
    };

    explicit RestartHold(Hooks hooks, QObject *parent = nullptr);

    bool isPaused() const { return m_paused; }
    // Whether an automatic restart of this process would be held back now.
    bool holdsBack(int process) const;
    // The identify budget ran low.
    void pauseForBudget(int remaining, int threshold);
    // The user's decision to go on: restarts resume, processes held back start again.
    void resume();
    // A shard's state read from its process's output: a fatal close code blocks that process.
    void onShardState(int process, const ShardState &state);

signals:
    void notice(const QString &text);
    void pausedChanged(bool paused, const QString &reason);

private:
    Hooks m_hooks;
    bool m_paused = false;
};
