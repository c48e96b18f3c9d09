#pragma once

#include "engine/launchinfo.h"
#include "process/processview.h"
#include "process/resourcemonitor.h"
#include "process/shardstates.h"

#include <QJsonObject>
#include <QMap>

// One process of a service as a control client knows it: what the snapshot said, kept current
// by the events. The window reads it through ProcessView like a process of its own.
class RemoteProcess final : public ProcessView {
public:
    explicit RemoteProcess(const ShardRange &range)
        : m_range(range)
    {
    }

    const ShardRange &range() const override { return m_range; }
    ProcessState state() const override { return m_state; }
    qint64 pid() const override { return m_pid; }
    int restarts() const override { return m_restarts; }
    const ExitInfo &lastExit() const override { return m_lastExit; }
    bool hasExited() const override { return m_hasExited; }
    QDateTime startedAt() const override { return m_startedAt; }
    QDateTime restartAt() const override { return m_restartAt; }
    const RecentLines &recentLines() const override { return m_lines; }
    QString autoRestartBlock() const override { return m_autoRestartBlock; }

    ShardRange m_range;
    ProcessState m_state = ProcessState::Pending;
    qint64 m_pid = 0;
    int m_restarts = 0;
    ExitInfo m_lastExit;
    bool m_hasExited = false;
    QDateTime m_startedAt;
    QDateTime m_restartAt;
    RecentLines m_lines;
    QString m_autoRestartBlock;
    bool m_ready = false;
    int m_ipcConnections = 0;
    QJsonObject m_ipcStats;
    LaunchInfo m_launch;
    QMap<int, ShardState> m_shards;
    ResourceHistory m_resources;
};
