#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

// The staggered start (DESIGN §3): processes queued by Start All are started one at a time, each
// the identify pacing after the one before.
class StartQueue : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartQueue)

public:
    // Starts the process if it still waits for its turn and returns how long the next must wait
    // after it (ms), or -1 when it was skipped (stopped by the user while queued).
    using Starter = std::function<qint64(int process)>;

    explicit StartQueue(Starter starter, QObject *parent = nullptr);

    // Replaces the queue; nothing starts until next(). Set before the processes are marked
    // pending, so a state change in between does not find an empty queue and end the session.
    void set(const QList<int> &processes);
    // Starts the next process still pending now.
    void next();
    // The same after ms (at once when 0).
    void nextAfter(qint64 ms);
    void remove(int process);
    void clear();
    bool isEmpty() const { return m_queue.isEmpty(); }

signals:
    // The queue ran out without starting anything this turn: the session may have ended.
    void drained();

private:
    Starter m_starter;
    QList<int> m_queue;
    QTimer m_timer;
};
