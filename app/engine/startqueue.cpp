#include "engine/startqueue.h"

StartQueue::StartQueue(Starter starter, QObject *parent)
    : QObject(parent)
    , m_starter(std::move(starter))
{
    m_timer.setSingleShot(true);
    // A coarse timer may fire up to 5 % early: the identify pacing must never be early.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StartQueue::next);
}

void StartQueue::set(const QList<int> &processes)
{
    m_queue = processes;
    m_timer.stop();
}

void StartQueue::next()
{
    while (!m_queue.isEmpty()) {
        const qint64 gap = m_starter(m_queue.takeFirst());
        if (gap < 0)
            continue;
        if (!m_queue.isEmpty())
            m_timer.start(int(gap));
        return;
    }
    emit drained();
}

void StartQueue::nextAfter(qint64 ms)
{
    if (ms <= 0)
        next();
    else
        m_timer.start(int(ms));
}

void StartQueue::remove(int process)
{
    m_queue.removeAll(process);
}

void StartQueue::clear()
{
    m_queue.clear();
    m_timer.stop();
}
