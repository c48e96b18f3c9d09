#pragma once

#include <QAbstractTableModel>
#include <QSet>
#include <QStringList>
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

private:
    void rebuild();
    void rowChanged(int row);
    void columnChanged(int column);
    void flushLastLines();
    void tick();
    QVariant display(int row, int column) const;
    QVariant sortValue(int row, int column) const;
    QString gatewaySummary(int row) const;
    int memoryLevel(int row) const;
    QString gatewayDetails(int row) const;

    AbstractEngine *m_engine;
    int m_rows = 0;
    QStringList m_lastLines;
    QSet<int> m_dirtyLastLines;
    QTimer m_lastLineTimer;
    QTimer m_tickTimer;
};
