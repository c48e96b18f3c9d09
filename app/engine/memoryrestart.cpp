#include "engine/memoryrestart.h"

#include "process/resourcemonitor.h"

MemoryRestart::MemoryRestart(ResourceMonitor *monitor, Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_monitor(monitor)
    , m_hooks(std::move(hooks))
{
    connect(m_monitor, &ResourceMonitor::memoryOverLimit, this, &MemoryRestart::onOverLimit);
}

void MemoryRestart::setLimit(qint64 bytes)
{
    m_limit = bytes;
    m_monitor->setMemoryLimit(m_limit, m_delayMs);
}

void MemoryRestart::setDelay(int ms)
{
    m_delayMs = ms;
    m_monitor->setMemoryLimit(m_limit, m_delayMs);
}

void MemoryRestart::onOverLimit(int process, qint64 rssBytes)
{
    const ProcessView *p = m_hooks.process(process);
    if (!p || p->state() != ProcessState::Running)
        return;
    const QString over = tr("process %1 has used %2 MB for %3 s, over memoryLimit (%4 MB)")
                             .arg(process)
                             .arg(rssBytes / 1000000)
                             .arg(m_delayMs / 1000)
                             .arg(m_limit / 1000000);
    if (m_hooks.heldBack(process)) {
        emit notice(over + tr("; not restarting it while automatic restarts are held back"));
        return;
    }
    emit notice(over + tr(": restarting it (memoryRestart)"));
    m_hooks.restart(process);
}
