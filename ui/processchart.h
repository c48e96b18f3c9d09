#pragma once

#include <QColor>
#include <QWidget>

class AbstractEngine;

// A chart of one process's memory or CPU over the session (10 s points, the last 5 minutes at
// 1 s), with its (re)starts marked on the time axis and, for memory, the warn and limit levels.
class ProcessChart : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessChart)

public:
    enum class Metric { Memory, Cpu };

    ProcessChart(AbstractEngine *engine, Metric metric, QWidget *parent = nullptr);

    void setProcess(int process);
    int process() const { return m_process; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The colour of the (re)start marks, unlike any level or state colour.
    static QColor restartMarkColor() { return QColor(0x8e, 0x44, 0xad); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    AbstractEngine *m_engine;
    Metric m_metric;
    int m_process = -1;
};

// The "Process Details" panel: the selected process's memory and CPU charts.
class ProcessDetails : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessDetails)

public:
    explicit ProcessDetails(AbstractEngine *engine, QWidget *parent = nullptr);

    void setProcess(int process);

private:
    void updateTitle();

    AbstractEngine *m_engine;
    class QLabel *m_title;
    ProcessChart *m_memory;
    ProcessChart *m_cpu;
    int m_process = -1;
};
