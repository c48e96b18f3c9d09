// bench/sampler: what sampling costs the manager. Starts N idle children (default 200), each in
// its own process group like a shard, samples them once a second's worth of times, and prints
// the sampler's own CPU time per sample.
//   build/bin/bench_sampler [CHILDREN] [SAMPLES]

#include "platform/processcontrol.h"
#include "platform/processsampler.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

namespace {
double cpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int children = argc > 1 ? std::atoi(argv[1]) : 200;
    const int samples = argc > 2 ? std::atoi(argv[2]) : 100;
    const QString fakeshard = QCoreApplication::applicationDirPath() + QStringLiteral("/fakeshard");

    std::vector<std::unique_ptr<QProcess>> processes;
    QList<qint64> groups;
    for (int i = 0; i < children; ++i) {
        auto p = std::make_unique<QProcess>();
        ProcessControl::prepare(p.get());
        p->start(fakeshard,
                 {QStringLiteral("--run"), QStringLiteral("bot.lua"), QStringLiteral("1"),
                  QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("1")});
        if (!p->waitForStarted())
            qFatal("cannot start %s", qPrintable(fakeshard));
        groups.append(p->processId());
        processes.push_back(std::move(p));
    }

    ProcessSampler sampler;
    sampler.sample(groups); // warm up: the first sample has no CPU baseline
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = cpuSeconds();
    int seen = 0;
    for (int i = 0; i < samples; ++i)
        seen = int(sampler.sample(groups).size());
    const double cpu = cpuSeconds() - cpu0;
    std::printf("sampler: %d process groups (%d seen), %d samples: %.2f ms CPU and %.2f ms wall "
                "per sample, "
                "%.3f%% of one core at one sample per second\n",
                children, seen, samples, cpu * 1000 / samples,
                double(wall.nsecsElapsed()) / 1e6 / samples, cpu / samples * 100);
    std::printf("command: %s %d %d\n", argv[0], children, samples);

    for (auto &p : processes) {
        ProcessControl::killGroup(p->processId());
        p->waitForFinished(5000);
    }
    return 0;
}
