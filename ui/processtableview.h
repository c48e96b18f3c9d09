#pragma once

#include <QTableView>

class QAction;
class QSortFilterProxyModel;
class ProcessTableModel;

// The process table: sortable, multi-row selection, a context menu with the per-process actions,
// double-click (or Enter) opens the process's log pane.
class ProcessTableView : public QTableView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessTableView)

public:
    explicit ProcessTableView(ProcessTableModel *model, QWidget *parent = nullptr);

    // Engine process indexes of the selected rows, in process order.
    QList<int> selectedProcesses() const;
    void selectProcess(int process);
    // The actions shown in the context menu (owned by the window, which also puts them in its
    // toolbar).
    void setContextActions(const QList<QAction *> &actions) { m_contextActions = actions; }
    // Widens State and Gateway to the longest texts a run of the profile shows (never narrows
    // them): after the profile changed, or widths kept from an earlier run were restored.
    void fitTextColumns();

signals:
    void openLogRequested(int process);
    void selectionChangedProcesses();

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    // The selected rows, as shown (sorted), as tab-separated text with a header line.
    void copySelection() const;

    ProcessTableModel *m_source;
    QSortFilterProxyModel *m_proxy;
    QList<QAction *> m_contextActions;
};
