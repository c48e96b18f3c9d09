#pragma once

#include <QHash>
#include <QList>

// Resident memory, CPU and threads of each shard process's tree: the child and every process in
// its process group (its own helpers). Linux reads /proc once per sample for all groups; a
// Windows port samples job objects behind the same class.
struct ProcessSample {
    qint64 rssBytes = 0;
    double cpuPercent = 0; // of one core, so 250 means two and a half cores busy
    // CPU time the group used since the previous sample (all it used so far, for a new group):
    // summed, a counter that survives helpers coming and going.
    double cpuSecondsSince = 0;
    int threads = 0;
    int processes = 0;
};

class ProcessSampler {
public:
    ProcessSampler();

    // One sample per process group (keyed by its leader's pid). CPU needs two samples: the
    // first one for a group reports 0.
    QHash<qint64, ProcessSample> sample(const QList<qint64> &groups);

private:
    struct Previous {
        quint64 ticks = 0;
        qint64 atNs = 0;
    };

    QHash<qint64, Previous> m_previous;
    long m_ticksPerSecond;
    long m_pageSize;
};
