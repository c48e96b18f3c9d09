#include "platform/processsampler.h"

#include <QElapsedTimer>
#include <QSet>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace {

struct StatFields {
    qint64 pgrp = 0;
    quint64 ticks = 0; // utime + stime
    long threads = 0;
    long rssPages = 0;
};

// Parses /proc/<pid>/stat with plain reads: this runs for every process every second.
bool readStat(const char *pid, StatFields *out)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0)
        return false;
    buffer[n] = '\0';
    // The command (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const char *p = std::strrchr(buffer, ')');
    if (!p)
        return false;
    p += 2;
    // Fields from 3 on: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
    int field = 3;
    char *end = nullptr;
    while (*p && field <= 24) {
        switch (field) {
        case 5: out->pgrp = std::strtoll(p, &end, 10); break;
        case 14: out->ticks = std::strtoull(p, &end, 10); break;
        case 15: out->ticks += std::strtoull(p, &end, 10); break;
        case 20: out->threads = std::strtol(p, &end, 10); break;
        case 24: out->rssPages = std::strtol(p, &end, 10); break;
        default: break;
        }
        p = std::strchr(p, ' ');
        if (!p)
            break;
        ++p;
        ++field;
    }
    return field > 24;
}

qint64 monotonicNs()
{
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    return clock.nsecsElapsed();
}

} // namespace

ProcessSampler::ProcessSampler()
    : m_ticksPerSecond(sysconf(_SC_CLK_TCK))
    , m_pageSize(sysconf(_SC_PAGESIZE))
{
}

QHash<qint64, ProcessSample> ProcessSampler::sample(const QList<qint64> &groups)
{
    QHash<qint64, ProcessSample> samples;
    QHash<qint64, quint64> ticks;
    if (groups.isEmpty())
        return samples;
    const QSet<qint64> wanted(groups.cbegin(), groups.cend());
    DIR *proc = opendir("/proc");
    if (!proc)
        return samples;
    StatFields stat;
    while (dirent *entry = readdir(proc)) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        if (!readStat(entry->d_name, &stat) || !wanted.contains(stat.pgrp))
            continue;
        ProcessSample &s = samples[stat.pgrp];
        s.rssBytes += qint64(stat.rssPages) * m_pageSize;
        s.threads += int(stat.threads);
        s.processes += 1;
        ticks[stat.pgrp] += stat.ticks;
    }
    closedir(proc);

    const qint64 now = monotonicNs();
    QHash<qint64, Previous> next;
    for (auto it = samples.begin(); it != samples.end(); ++it) {
        const quint64 t = ticks.value(it.key());
        const auto previous = m_previous.constFind(it.key());
        if (previous != m_previous.cend() && now > previous->atNs && t >= previous->ticks) {
            const double cpuSeconds = double(t - previous->ticks) / double(m_ticksPerSecond);
            it->cpuPercent = 100.0 * cpuSeconds / (double(now - previous->atNs) / 1e9);
            it->cpuSecondsSince = cpuSeconds;
        } else if (previous == m_previous.cend()) {
            it->cpuSecondsSince = double(t) / double(m_ticksPerSecond);
        }
        next.insert(it.key(), {t, now});
    }
    // Groups that are gone are forgotten, so a reused pid starts afresh.
    m_previous = next;
    return samples;
}
