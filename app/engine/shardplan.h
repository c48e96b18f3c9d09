#pragma once

#include <QList>

#include <utility>

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

// A slice of a plan, for a bot spread over several machines (a Kubernetes StatefulSet's pods, or
// hosts): slice `index` of `size` runs processes [index*P/size, (index+1)*P/size) of the P, while
// shard numbers and the shard total stay those of the whole plan.
struct ClusterSlice {
    int index = 0;
    int size = 1;

    bool isWhole() const { return size <= 1; }
    bool operator==(const ClusterSlice &) const = default;
};

namespace ShardPlan {
// The first process of the slice and one past its last, as even as possible (sizes differ by at
// most one).
std::pair<int, int> sliceBounds(int processes, const ClusterSlice &slice);
// The slice's ranges, numbered from 0 again (the engine's own indices) and starting from 0; the
// first one's number in the whole plan is sliceBounds().first.
QList<ShardRange> slice(const QList<ShardRange> &plan, const ClusterSlice &slice);
} // namespace ShardPlan
