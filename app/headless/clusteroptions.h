#pragma once

#include "engine/shardplan.h"

#include <QString>

#include <optional>

// Which slice of the plan this service runs (issue 15): `--cluster-index I --cluster-size N`, or
// SHARD_MANAGER_CLUSTER_INDEX and SHARD_MANAGER_CLUSTER_SIZE when the options are not given.
// I may be "auto": the ordinal at the end of the host name, as a StatefulSet names its pods
// ("mybot-2" is slice 2). Neither given: the whole plan.
namespace ClusterOptions {

std::optional<ClusterSlice> resolve(const QString &index, const QString &size,
                                    const QString &hostName, QString *error);
// --check's table of the slices of plan (the one of `slice` marked), and a line saying so when
// there are more slices than processes.
QString sliceTable(const QList<ShardRange> &plan, const ClusterSlice &slice);
// "slice 1 of 3: processes 4 to 7 of 12, shards 16 to 31"
QString describe(const QList<ShardRange> &plan, const ClusterSlice &slice);

} // namespace ClusterOptions
