#pragma once

#include <QTimer>
#include <QWidget>

class AbstractEngine;
class QLabel;
class QSpinBox;
class QTableView;
class ShardViewModel;

// The "Shards" tab beside the process table: one row per gateway shard, with the run's totals
// (shards ready, guilds, average ping, memory) in a header row and a field to jump to a shard
// (a plan may have 100,000 of them). Double-click opens the shard's process log.
class ShardView : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShardView)

public:
    explicit ShardView(AbstractEngine *engine, QWidget *parent = nullptr);

    ShardViewModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The header row's text, as shown.
    QString totalsText() const;

signals:
    void openLogRequested(int process);

private:
    void updateTotals();

    ShardViewModel *m_model;
    QLabel *m_totals;
    QSpinBox *m_goTo;
    QTableView *m_table;
    QTimer m_totalsTimer; // a burst of shard events updates the totals once
};
