#pragma once

#include "process/shardstates.h"

#include <QJsonObject>

#include <QAbstractTableModel>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>
#include <QTimer>

class AbstractEngine;

// One row per shard process of the engine: range, state, PID, uptime, restarts, last exit,
// IPC connections, the bot's own stats and its last line. Live: follows the engine's signals,
// batches last-line updates and ticks the uptime once a second.
class ProcessTableModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessTableModel)

public:
    enum Column {
        Process,
        Shards,
        State,
        Gateway,
        Pid,
        Uptime,
        Memory,
        Cpu,
        Restarts,
        LastExit,
        Ipc,
        Guilds,
        Ping,
        LastLine,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // a value that sorts naturally (numbers as numbers)
        StateRole, // the ProcessState as int
        ProcessIndexRole, // the engine's process index of the row
        HistoryRole, // Memory/CPU: the last 5 minutes as QList<qreal> (bytes, %)
        LevelRole, // Memory: 0 fine, 1 over memoryWarn, 2 over memoryLimit
        ScaleRole, // Memory/CPU: the value at the top of the sparkline
    };

    explicit ProcessTableModel(AbstractEngine *engine, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QColor stateColor(int state);
    static QColor levelColor(int level);

    // What the model keeps per row beyond the engine's own (last lines, counts): only rows that
    // have something, so a plan of 100,000 processes costs nothing until they run.
    qsizetype keptRowCount() const;
    // The selected rows as text: a header line, then one tab-separated line per row.
    QString rowsAsText(const QList<int> &rows) const;
    // The longest texts State or Gateway shows in a run of this profile that goes as expected
    // ("restarting in 60 s" with its longest restart delay, "1/2 ready, 1 reconnecting"): what
    // the view makes those columns wide enough for. Rarer, longer ones are elided, whole in the
    // tooltip.
    QStringList typicalTexts(int column) const;

private:
    void rebuild();
    void rowChanged(int row);
    void columnChanged(int column);
    void flushLastLines();
    void tick();
    QVariant display(int row, int column) const;
    QVariant sortValue(int row, int column) const;
    QString gatewaySummary(int row) const;
    static QString gatewayText(int ready, int shards, const QMap<QString, int> &others);
    int memoryLevel(int row) const;
    QString gatewayDetails(int row) const;
    // The shard states of the run going on now (none once it ended, none of an earlier run).
    QList<ShardState> currentShardStates(int row) const;
    // The bot's stats (guilds, ping) of the run going on now; empty otherwise.
    QJsonObject currentStats(int row) const;
    QString restartsTip(int row) const;

    AbstractEngine *m_engine;
    int m_rows = 0;
    QHash<int, QString> m_lastLines;
    QSet<int> m_dirtyLastLines;
    // Rows whose stats are from a run that ended (no fresher ones received since).
    QSet<int> m_staleStats;
    // Exits nobody asked for, per row: what Restarts counts (manual restarts are the user's).
    QHash<int, int> m_unexpectedExits;
    QTimer m_lastLineTimer;
    QTimer m_tickTimer;
};
