#include "shardplan.h"

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
