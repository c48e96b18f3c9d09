#include "engine/processset.h"

#include "process/shardprocess.h"

ProcessSet::ProcessSet(QObject *parent)
    : QObject(parent)
{
}

ProcessSet::~ProcessSet()
{
    clear();
}

void ProcessSet::clear()
{
    qDeleteAll(m_processes);
    m_processes.clear();
    m_states.clear();
    m_busy = 0;
    m_running = 0;
}

namespace {
bool busy(ProcessState state)
{
    return state == ProcessState::Starting || state == ProcessState::Running
        || state == ProcessState::Stopping || state == ProcessState::Restarting;
}
} // namespace

void ProcessSet::count(int process, ProcessState state)
{
    ProcessState &last = m_states[size_t(process)];
    m_busy += int(busy(state)) - int(busy(last));
    m_running += int(state == ProcessState::Running) - int(last == ProcessState::Running);
    last = state;
}

void ProcessSet::rebuild(const QList<ShardRange> &plan, const RestartPolicy &policy,
                         std::function<LaunchSpec(const ShardRange &)> spec)
{
    clear();
    m_spec = std::move(spec);
    m_states.assign(size_t(plan.size()), ProcessState::Pending); // as a new ShardProcess is
    for (const ShardRange &range : plan) {
        auto *process = new ShardProcess(range, LaunchSpec(), policy, this);
        const int index = range.process;
        process->setLaunchSpecProvider([this, range] { return m_spec(range); });
        process->setSecrets(m_secrets);
        process->setAutoRestartPaused(m_autoRestartPaused);
        connect(process, &ShardProcess::stateChanged, this, [this, index](ProcessState state) {
            count(index, state); // first: whoever hears of it may ask isBusy()
            emit stateChanged(index, state);
        });
        connect(process, &ShardProcess::spawned, this,
                [this, index](qint64 pid) { emit spawned(index, pid); });
        connect(process, &ShardProcess::started, this,
                [this, index](qint64 pid) { emit started(index, pid); });
        connect(process, &ShardProcess::outputRead, this,
                [this, index](bool isStderr, const OutputBatch &batch) {
            emit outputRead(index, isStderr, batch);
        });
        connect(process, &ShardProcess::exited, this,
                [this, index](const ExitInfo &info) { emit exited(index, info); });
        m_processes.append(process);
    }
}

ShardProcess *ProcessSet::at(int index) const
{
    return index >= 0 && index < m_processes.size() ? m_processes.at(index) : nullptr;
}

QList<ShardRange> ProcessSet::ranges() const
{
    QList<ShardRange> ranges;
    for (const ShardProcess *p : m_processes)
        ranges.append(p->range());
    return ranges;
}

QList<std::pair<int, qint64>> ProcessSet::live() const
{
    QList<std::pair<int, qint64>> live;
    for (const ShardProcess *p : m_processes) {
        if (p->pid() > 0)
            live.append({p->index(), p->pid()});
    }
    return live;
}

void ProcessSet::setSecrets(const QStringList &secrets)
{
    m_secrets = secrets;
    for (ShardProcess *p : std::as_const(m_processes))
        p->setSecrets(secrets);
}

void ProcessSet::setRestartPolicy(const RestartPolicy &policy)
{
    for (ShardProcess *p : std::as_const(m_processes))
        p->setRestartPolicy(policy);
}

void ProcessSet::setAutoRestartPaused(bool paused)
{
    m_autoRestartPaused = paused;
    for (ShardProcess *p : std::as_const(m_processes))
        p->setAutoRestartPaused(paused);
}
