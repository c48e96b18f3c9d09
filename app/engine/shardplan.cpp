#include "engine/shardplan.h"

#include <algorithm>

QList<ShardRange> ShardPlan::compute(int maxShards, int shardsPerProcess, int waitTimeMs)
{
    QList<ShardRange> plan;
    if (maxShards < 1 || shardsPerProcess < 1 || shardsPerProcess > maxShards || waitTimeMs < 0)
        return plan;
    const int processes = (maxShards + shardsPerProcess - 1) / shardsPerProcess;
    plan.reserve(processes);
    for (int i = 0; i < processes; ++i) {
        const int first = i * shardsPerProcess;
        const int last = std::min((i + 1) * shardsPerProcess, maxShards) - 1;
        plan.append({i, first, last, qint64(i) * waitTimeMs});
    }
    return plan;
}

qint64 ShardPlan::identifyTimeMs(int shards, int maxConcurrency)
{
    if (maxConcurrency <= 0)
        return 0;
    return (qint64(shards) * 5000 + maxConcurrency - 1) / maxConcurrency;
}

qint64 ShardPlan::startGapMs(int shards, int waitTimeMs, int maxConcurrency)
{
    return std::max<qint64>(waitTimeMs, identifyTimeMs(shards, maxConcurrency));
}

QList<ShardRange> ShardPlan::paced(const QList<ShardRange> &plan, int waitTimeMs,
                                   int maxConcurrency)
{
    QList<ShardRange> out = plan;
    for (qsizetype i = 1; i < out.size(); ++i)
        out[i].startOffsetMs = out[i - 1].startOffsetMs
            + startGapMs(out[i - 1].shardCount(), waitTimeMs, maxConcurrency);
    return out;
}

std::pair<int, int> ShardPlan::sliceBounds(int processes, const ClusterSlice &slice)
{
    if (slice.isWhole())
        return {0, processes};
    const auto at = [&](int i) { return int(qint64(i) * processes / slice.size); };
    return {at(slice.index), at(slice.index + 1)};
}

QList<ShardRange> ShardPlan::slice(const QList<ShardRange> &plan, const ClusterSlice &slice)
{
    if (slice.isWhole())
        return plan;
    const auto [from, to] = sliceBounds(int(plan.size()), slice);
    QList<ShardRange> out;
    out.reserve(to - from);
    for (int i = from; i < to; ++i) {
        ShardRange range = plan.at(i);
        range.process = i - from;
        range.startOffsetMs -= plan.at(from).startOffsetMs;
        out.append(range);
    }
    return out;
}
