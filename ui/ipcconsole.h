#pragma once

#include <QWidget>

class IpcMessageModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class AbstractEngine;

// The IPC console: incoming messages with sender and time, and a line to send to all processes
// or to one (Enter sends).
class IpcConsole : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IpcConsole)

public:
    IpcConsole(AbstractEngine *engine, IpcMessageModel *model, QWidget *parent = nullptr);

    // Preselects a target (-1: all processes).
    void setTarget(int process);
    void focusInput();

private:
    void rebuildTargets();
    void send();

    AbstractEngine *m_engine;
    IpcMessageModel *m_model;
    QTableView *m_view;
    QComboBox *m_target;
    QLineEdit *m_input;
    QLabel *m_result;
};
