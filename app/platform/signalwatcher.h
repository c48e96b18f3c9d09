#pragma once

#include <QObject>

class QSocketNotifier;

// Turns the signals that ask the manager to stop (SIGTERM, SIGINT, SIGHUP: the terminal went
// away, SIGQUIT: Ctrl+\) and SIGUSR1 ("resume automatic restarts") into Qt signals delivered on
// the event loop (self-pipe on Unix), so shutdown runs as ordinary code instead of inside a
// signal handler.
class SignalWatcher : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    // For every role of the program, first thing: a write to a closed pipe or socket (stdout
    // piped into a pager that quit) fails with EPIPE instead of ending the process, and SIGUSR2,
    // which has no meaning here, is ignored instead of killing us. Children get the defaults back
    // (ProcessControl::prepare).
    static void ignoreStraySignals();

signals:
    void terminationRequested(int signal);
    void resumeRequested();

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};
