#pragma once

#include "process/shardstates.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

class AbstractEngine;

// What the shard view's header row shows of the whole run.
struct ShardTotals {
    qint64 guilds = -1; // -1: no running process sent any
    double averagePing = -1; // ms, over the processes that sent one; -1: none did
    int ready = 0; // shards whose last state is ready or resumed
    int total = 0; // shards in the plan
    qint64 memoryBytes = 0; // the resident memory of every live process tree
};

// One row per gateway shard of the plan: its id, its process, the state the bot's lines last
// told, ping and guilds (per shard when the bot's stats carry a "shards" object, else its
// process's), and the last event with its age. Rows are computed when asked: the plan may have
// 100,000 shards, so nothing is kept per shard but the states that were reported, and those of
// a run go when its process stops or starts again.
class ShardViewModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardViewModel)

public:
    enum Column { Shard, Process, State, Ping, Guilds, Age, LastEvent, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        ProcessIndexRole, // the engine's process index of the row
    };

    explicit ShardViewModel(AbstractEngine *engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    ShardTotals totals() const;
    // The row of a shard id, -1 when the plan has none.
    int rowOfShard(int shard) const;
    // How many shard states are remembered (for tests: none per planned shard).
    int rememberedStates() const { return int(m_states.size()); }

signals:
    void totalsChanged();

private:
    void rebuild();
    void forgetProcess(int process);
    void processChanged(int process);
    // The process of a row (binary search over the plan's first rows).
    int processOfRow(int row) const;
    const ShardState *stateOf(int process, int shard) const;
    QJsonValue shardStat(int process, int shard, const QString &key) const;
    QVariant display(int row, int column) const;
    QVariant sortValue(int row, int column) const;

    AbstractEngine *m_engine;
    QList<int> m_firstRow; // per process: the row of its first shard
    QList<int> m_firstShard; // per process: its first shard id
    int m_rows = 0;
    QHash<int, QHash<int, ShardState>> m_states; // process -> shard -> last state of this run
    QTimer m_tickTimer; // the Age column
};
