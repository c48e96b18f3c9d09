#pragma once

#include "process/processview.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <functional>
#include <vector>

class ShardProcess;
struct LaunchSpec;
struct RestartPolicy;

// The processes of one plan, a ShardProcess per range: made, configured and destroyed together
// (destroying one kills what it runs), and reported by index.
class ProcessSet : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessSet)

public:
    explicit ProcessSet(QObject *parent = nullptr);
    ~ProcessSet() override;

    // Replaces every process with one per range of plan, each asking spec for what to run at
    // each launch (a plan of 100,000 processes must not hold 100,000 environments).
    void rebuild(const QList<ShardRange> &plan, const RestartPolicy &policy,
                 std::function<LaunchSpec(const ShardRange &)> spec);
    void clear();

    int count() const { return int(m_processes.size()); }
    bool isEmpty() const { return m_processes.isEmpty(); }
    // Null for an index out of range.
    ShardProcess *at(int index) const;
    const QList<ShardProcess *> &all() const { return m_processes; }
    QList<ShardRange> ranges() const;
    // Any process starting, running, stopping or waiting to restart. Counted as the states
    // change, so the window's status bar does not walk 100,000 processes on each change.
    bool isBusy() const { return m_busy > 0; }
    int runningCount() const { return m_running; }
    // process -> pid of those with a live child, for the resource sampler.
    QList<std::pair<int, qint64>> live() const;

    // Applied to every process, and to those the next rebuild makes.
    void setSecrets(const QStringList &secrets);
    void setRestartPolicy(const RestartPolicy &policy);
    void setAutoRestartPaused(bool paused);

signals:
    void stateChanged(int process, ProcessState state);
    void spawned(int process, qint64 pid);
    void started(int process, qint64 pid);
    void outputRead(int process, bool isStderr, const OutputBatch &batch);
    void exited(int process, const ExitInfo &info);

private:
    void count(int process, ProcessState state);

    QList<ShardProcess *> m_processes;
    std::vector<ProcessState> m_states; // as last counted
    int m_busy = 0;
    int m_running = 0;
    std::function<LaunchSpec(const ShardRange &)> m_spec;
    QStringList m_secrets;
    bool m_autoRestartPaused = false;
};
