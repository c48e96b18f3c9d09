#pragma once

#include <QWidget>

class AbstractEngine;
class QPlainTextEdit;

// The details dock's "how it is started" part: the selected process's command line and the
// variables the manager gives it (DESIGN §1), the token and IPC secret shown as placeholders.
// Selectable, so a user can copy the command to try the bot by hand.
class LaunchDetails : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LaunchDetails)

public:
    explicit LaunchDetails(AbstractEngine *engine, QWidget *parent = nullptr);

    void setProcess(int process);
    QString text() const;
    // Shows what the engine says now (the token, a plan change).
    void refresh();

private:
    AbstractEngine *m_engine;
    QPlainTextEdit *m_text;
    int m_process = -1;
};
