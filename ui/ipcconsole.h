#pragma once

#include <QStringList>
#include <QWidget>

class IpcMessageModel;
class QAction;
class QCheckBox;
class QComboBox;
class QSortFilterProxyModel;
class QLabel;
class QLineEdit;
class QTableView;
class AbstractEngine;

// The IPC console: incoming messages with sender and time, and the ones sent (marked, with their
// target and reach); a line to send to all processes or to one (Enter sends, Up/Down recall
// earlier ones). Control lines ({"op":"ready"}, {"op":"stats"}) are hidden unless asked for; the
// view follows new rows while at the bottom; Copy copies the selected rows.
class IpcConsole : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IpcConsole)

public:
    IpcConsole(AbstractEngine *engine, IpcMessageModel *model, QWidget *parent = nullptr);

    // Preselects a target (-1: all processes).
    void setTarget(int process);
    void focusInput();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuildTargets();
    void send();
    void recall(int step);
    void copySelected();

    AbstractEngine *m_engine;
    IpcMessageModel *m_model;
    QSortFilterProxyModel *m_shown;
    QTableView *m_view;
    QCheckBox *m_showControl;
    QAction *m_copy;
    QStringList m_history; // sent lines, oldest first
    int m_historyIndex = 0; // m_history.size(): the line being typed
    QString m_typed; // what was typed before recalling
    bool m_following = true;
    QComboBox *m_target;
    QLineEdit *m_input;
    QLabel *m_result;
};
