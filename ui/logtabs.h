#pragma once

#include <QHash>
#include <QTabWidget>

class LogPane;
class AbstractEngine;

// The log panes: "All processes" (always there) and one closable tab per process, opened on
// demand with the engine's recent history, fed live from the engine's lines.
class LogTabs : public QTabWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogTabs)

public:
    explicit LogTabs(AbstractEngine *engine, QWidget *parent = nullptr);

    LogPane *allPane() const { return m_all; }
    LogPane *processPane(int process) const { return m_panes.value(process); }
    // Opens (or shows) the pane of one process.
    LogPane *openProcess(int process);
    void closeProcessPanes();

signals:
    // Lines were added to the panes (the find bar's count follows them).
    void linesArrived();

private:
    void onLines(int process, bool isStderr, const QStringList &lines);
    QString prefix(int process) const;
    void adopt(LogPane *pane);

    AbstractEngine *m_engine;
    LogPane *m_all;
    QHash<int, LogPane *> m_panes;
};
