#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QTimer>

#include <deque>

class AbstractEngine;

// The IPC messages the manager received and the ones the user sent (marked, with their target
// and how many connections they reached), newest last: time, sender or target, text. Bounded (old
// rows are dropped) and batched (rows are inserted a few times a second), so a chatty bot cannot
// slow the window down.
class IpcMessageModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IpcMessageModel)

public:
    enum Column { Time, From, Message, ColumnCount };
    enum Role {
        ProcessRole = Qt::UserRole + 1,
        SentRole, // bool: sent by the user, not received
        ControlRole, // bool: a {"op":"ready"} or {"op":"stats"} line, hidden by default
        TextRole, // the whole message, for copying
    };

    explicit IpcMessageModel(AbstractEngine *engine, QObject *parent = nullptr);

    void setMaximumRows(int rows) { m_maximumRows = std::max(rows, 1); }
    int maximumRows() const { return m_maximumRows; }
    // Rows that never made it into the model because more arrived than it keeps.
    qint64 droppedCount() const { return m_dropped; }
    void clear();
    // A message the user sent (process -1: all) and the connections it reached.
    void recordSent(int process, const QString &text, int reached);
    // Inserts what is queued now instead of at the next tick (tests, and before saving).
    void flush();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Entry {
        QDateTime time;
        int process = -1;
        QString text;
        bool sent = false;
        bool control = false;
        int reached = 0; // sent: connections reached
    };

    void enqueue(Entry entry);

    AbstractEngine *m_engine;
    std::deque<Entry> m_rows;
    std::deque<Entry> m_queue;
    QTimer m_flushTimer;
    int m_maximumRows = 10000;
    qint64 m_dropped = 0;
};
