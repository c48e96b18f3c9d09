#pragma once

#include <QObject>

class QLabel;
class QStatusBar;
class AbstractEngine;
class TokenStore;

// The window's permanent status labels: how many processes run, the token, the identify budget,
// the IPC address and the log file. The window says when to refresh; this knows what to show.
class RunStatusBar : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunStatusBar)

public:
    // The labels go into bar (and so belong to it); engine and tokens are not owned.
    RunStatusBar(AbstractEngine *engine, TokenStore *tokens, QStatusBar *bar,
                 QObject *parent = nullptr);

    void update();
    void updateToken();

private:
    AbstractEngine *m_engine;
    TokenStore *m_tokens;
    QLabel *m_runningLabel;
    QLabel *m_ipcLabel;
    QLabel *m_logLabel;
    QLabel *m_tokenLabel;
    QLabel *m_budgetLabel;
};
