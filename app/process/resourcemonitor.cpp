#include "process/resourcemonitor.h"

#include <QDateTime>

void ResourceHistory::record(const ResourcePoint &point)
{
    last = point;
    hasSample = true;
    recent.push_back(point);
    if (recent.size() > kRecent)
        recent.pop_front();
    if (session.empty() || point.timeMs - session.back().timeMs >= 10000) {
        session.push_back(point);
        if (session.size() > kSession)
            session.pop_front();
    }
}

ResourceMonitor::ResourceMonitor(QObject *parent)
    : QObject(parent)
{
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_live)
            sample(m_live());
    });
}

void ResourceMonitor::reset(int processes)
{
    m_history.clear();
    m_processes = processes;
    m_overSince.clear();
    m_reported.clear();
}

void ResourceMonitor::setMemoryLimit(qint64 bytes, qint64 sustainedMs)
{
    m_limit = bytes;
    m_sustainedMs = sustainedMs;
}

const ResourceHistory &ResourceMonitor::history(int process) const
{
    static const ResourceHistory none;
    const auto it = m_history.find(process);
    return it != m_history.end() ? it->second : none;
}

void ResourceMonitor::markStarted(int process, qint64 timeMs)
{
    if (process >= 0 && process < m_processes)
        m_history[process].starts.append(timeMs);
}

void ResourceMonitor::markStopped(int process)
{
    const auto it = m_history.find(process);
    if (it == m_history.end())
        return;
    it->second.hasSample = false;
    m_overSince.remove(process);
    m_reported.remove(process);
}

void ResourceMonitor::sample(const QList<std::pair<int, qint64>> &live)
{
    QList<qint64> groups;
    groups.reserve(live.size());
    for (const auto &[process, pid] : live)
        groups.append(pid);
    const QHash<qint64, ProcessSample> samples = m_sampler.sample(groups);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    for (const auto &[process, pid] : live) {
        if (process < 0 || process >= m_processes)
            continue;
        const ProcessSample s = samples.value(pid);
        ResourceHistory &h = m_history[process];
        const ResourcePoint point {now, s.rssBytes, float(s.cpuPercent), s.threads};
        h.record(point);
        h.cpuSeconds += s.cpuSecondsSince;

        if (m_limit > 0 && s.rssBytes > m_limit) {
            const qint64 since = m_overSince.value(process, now);
            m_overSince.insert(process, since);
            if (now - since >= m_sustainedMs && !m_reported.value(process)) {
                m_reported.insert(process, true);
                emit memoryOverLimit(process, s.rssBytes);
            }
        } else {
            m_overSince.remove(process);
            m_reported.remove(process);
        }
    }
    emit sampled();
}
