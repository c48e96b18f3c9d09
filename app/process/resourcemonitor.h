#pragma once

#include "platform/processsampler.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <unordered_map>

// One point of a process's resource history.
struct ResourcePoint {
    qint64 timeMs = 0; // ms since the epoch
    qint64 rssBytes = 0;
    float cpuPercent = 0;
    int threads = 0;
};

// What one process used over time: every second for the last 5 minutes, every 10 s for the last
// 24 hours (bounded either way), and when it (re)started, for the charts' time axis.
struct ResourceHistory {
    std::deque<ResourcePoint> recent; // 1 s apart, at most kRecent
    std::deque<ResourcePoint> session; // 10 s apart, at most kSession
    QList<qint64> starts; // ms since the epoch
    ResourcePoint last;
    bool hasSample = false;
    double cpuSeconds = 0; // CPU time of the process's group over all its runs (a counter)

    static constexpr size_t kRecent = 300;
    static constexpr size_t kSession = 8640;

    // Adds a sample: the last, the recent points, and one session point per 10 s.
    void record(const ResourcePoint &point);
};

// Samples every shard process's tree once a second (through ProcessSampler) and keeps the
// histories; reports processes that stay above a memory limit.
class ResourceMonitor : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceMonitor)

public:
    // process -> group leader pid of the live ones.
    using LiveProcesses = std::function<QList<std::pair<int, qint64>>()>;

    explicit ResourceMonitor(QObject *parent = nullptr);

    // While started, samples what live() lists every interval.
    void setSource(LiveProcesses live) { m_live = std::move(live); }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }

    void reset(int processes);
    void setMemoryLimit(qint64 bytes, qint64 sustainedMs);
    // process -> group leader pid of the live ones; samples and records them now.
    void sample(const QList<std::pair<int, qint64>> &live);
    void markStarted(int process, qint64 timeMs);
    void markStopped(int process);

    const ResourceHistory &history(int process) const;

signals:
    void sampled();
    // Above the limit for sustainedMs without a break: once per episode.
    void memoryOverLimit(int process, qint64 rssBytes);

private:
    ProcessSampler m_sampler;
    LiveProcesses m_live;
    QTimer m_timer;
    // Made when a process first starts: a plan of 100,000 waiting processes costs nothing here.
    std::unordered_map<int, ResourceHistory> m_history;
    int m_processes = 0;
    QHash<int, qint64> m_overSince;
    QHash<int, bool> m_reported;
    qint64 m_limit = 0;
    qint64 m_sustainedMs = 30000;
};
