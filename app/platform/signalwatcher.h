#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM (and SIGUSR1, "resume automatic restarts") into a Qt signal delivered on the event loop (self-pipe on Unix),
// so shutdown runs as ordinary code instead of inside a signal handler.
class SignalWatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signal);
    void resumeRequested();

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};
