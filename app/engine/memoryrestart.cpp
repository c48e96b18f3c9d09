#include "engine/memoryrestart.h"
#include "diagnostics.h"
#include "text/units.h"

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
    const QString over = tr("process %1 has used %2 for %3 s, over memoryLimit (%4)")
                             .arg(process)
                             .arg(Units::dataSize(rssBytes))
                             .arg(m_delayMs / 1000)
                             .arg(Units::dataSize(m_limit));
    if (m_hooks.heldBack(process)) {
        emit notice(over + tr("; not restarting it while automatic restarts are held back"));
        return;
    }
    qCDebug(lcEngine) << "process" << process << "over memoryLimit: restarting it";
    emit notice(over + tr(": restarting it (memoryRestart)"));
    m_hooks.restart(process);
}
