#pragma once

#include <QList>

// The shard ranges of each process and when each one starts (DESIGN §3).
struct ShardRange {
    int process = 0;
    int first = 0;
    int last = 0;
    qint64 startOffsetMs = 0;

    int shardCount() const { return last - first + 1; }
    bool operator==(const ShardRange &) const = default;
};

namespace ShardPlan {
// processes = ceil(maxShards / shardsPerProcess); process i owns
// [i*perProcess, min((i+1)*perProcess, maxShards) - 1], starting i*waitTime after the first.
// Empty when the numbers are invalid (validation reports why).
QList<ShardRange> compute(int maxShards, int shardsPerProcess, int waitTimeMs);
} // namespace ShardPlan

namespace ShardPlan {
// Discord lets max_concurrency shards identify per 5 s: a process with k shards needs about
// k * 5000 / maxConcurrency ms before the next may start.
qint64 identifyTimeMs(int shards, int maxConcurrency);
// The gap after starting a process of `shards` shards: waitTime, or longer when identifies need it.
qint64 startGapMs(int shards, int waitTimeMs, int maxConcurrency);
// The plan with start offsets that respect the identify limit (maxConcurrency <= 0: unknown).
QList<ShardRange> paced(const QList<ShardRange> &plan, int waitTimeMs, int maxConcurrency);
} // namespace ShardPlan
