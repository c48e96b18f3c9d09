// ShardEngine, continued: starting and stopping. The session (log file, IPC server, guardian)
// opens with the first start and closes when nothing runs; the start queue paces identifies.

#include "engine/shardengine.h"

#include "diagnostics.h"

#include "discord/gatewayguard.h"
#include "engine/autoshards.h"
#include "engine/childlaunch.h"
#include "engine/processset.h"
#include "engine/rollingrestart.h"
#include "engine/session.h"
#include "engine/startqueue.h"
#include "ipc/ipcserver.h"
#include "process/resourcemonitor.h"
#include "process/shardprocess.h"

#include <algorithm>

using namespace Qt::StringLiterals;

bool ShardEngine::openSession(QString *error)
{
    if (m_session->isOpen())
        return true;
    const QList<ProfileError> problems = m_profile.validate();
    if (!problems.isEmpty()) {
        if (error) {
            QStringList lines;
            for (const ProfileError &e : problems)
                lines << e.toString();
            *error = lines.join(u'\n');
        }
        return false;
    }
    if (m_auto->needsFetch(m_profile)) {
        if (error)
            *error = tr("maxShards: \"auto\" needs the recommended shard count from Discord first");
        return false;
    }
    if (m_processes->isEmpty()) {
        if (error)
            *error = tr("the shard plan is empty");
        return false;
    }
    if (!m_session->open(m_profile, m_token, m_echoAllowed, error))
        return false;
    // Fresh per-process secrets every session: a child of an earlier run cannot reuse one.
    m_launch.forgetSecrets();
    m_processes->setRestartPolicy(ChildLaunch::restartPolicy(m_profile));
    m_resources->start();
    qCDebug(lcEngine) << "session open:" << processCount() << "processes, ipc" << m_ipc->address();
    emit sessionOpened();
    return true;
}

void ShardEngine::closeSessionIfIdle()
{
    if (!m_session->isOpen() || m_stoppingAll || isBusy())
        return;
    qCDebug(lcEngine) << "session closed: every process has ended";
    m_session->close();
    m_rolling->reset();
    m_resources->stop();
    emit allStopped();
    if (m_restartAllAfterStop) {
        m_restartAllAfterStop = false;
        restartAll();
    }
}

bool ShardEngine::isBusy() const
{
    return !m_startQueue->isEmpty() || m_processes->isBusy();
}

bool ShardEngine::startAll(QString *error)
{
    // Ask Discord first; the start goes on when it answers (or fails with startFailed).
    if (m_auto->needsFetch(m_profile) && !isBusy())
        return m_auto->fetchForStart(m_profile, m_token, error);
    if (!openSession(error))
        return false;
    // Fresh figures for pacing and the identify budget; the start does not wait for them.
    m_guard->refresh(60000);
    // Queue first, then mark: a state change with an empty queue would end the session.
    QList<int> queue;
    for (const ShardProcess *p : m_processes->all()) {
        if (!p->isActive())
            queue.append(p->index());
    }
    m_startQueue->set(queue);
    for (int index : queue)
        m_processes->at(index)->markPending();
    // A slice after the first follows another machine's last start, which it cannot see: one
    // identify gap first keeps the two from identifying closer than Discord allows.
    const bool firstQueued = !queue.isEmpty() && queue.first() == 0;
    m_startQueue->nextAfter(
        m_slice.index > 0 && firstQueued ? ShardPlan::startGapMs(
            m_profile.shardsPerProcess, m_profile.waitTime, m_guard->maxConcurrency())
                                         : 0);
    return true;
}

qint64 ShardEngine::startIfPending(int index)
{
    ShardProcess *p = m_processes->at(index);
    // Stopped by the user while it waited in the queue: skip it.
    if (!p || p->state() != ProcessState::Pending)
        return -1;
    p->start();
    return startGapMs(index);
}

qint64 ShardEngine::startGapMs(int index) const
{
    return ShardPlan::startGapMs(m_processes->at(index)->range().shardCount(), m_profile.waitTime,
                                 m_guard->maxConcurrency());
}

void ShardEngine::stopAll()
{
    // A Stop All cancels a Restart All still stopping.
    m_restartAllAfterStop = false;
    m_startQueue->clear();
    m_rolling->cancel();
    // One check for the session's end after the loop, not one per process (100,000 of them).
    m_stoppingAll = true;
    for (ShardProcess *p : m_processes->all())
        p->stop();
    m_stoppingAll = false;
    closeSessionIfIdle();
}

void ShardEngine::killAll()
{
    m_rolling->reset();
    stopAll(); // SIGTERM and the state "stopping"
    stopAll(); // asked again while stopping: SIGKILL to every group now
}

void ShardEngine::restartAll()
{
    if (isBusy()) {
        stopAll();
        // Some still stop: start again once the last is down (closeSessionIfIdle).
        m_restartAllAfterStop = isBusy();
        if (m_restartAllAfterStop)
            return;
    }
    QString error;
    if (!startAll(&error))
        emit notice(tr("restart failed: %1").arg(error));
}

void ShardEngine::rollingRestart()
{
    if (m_rolling->isRunning() || m_processes->isEmpty())
        return;
    if (!m_session->isOpen()) {
        restartAll();
        return;
    }
    m_rolling->start();
}

bool ShardEngine::startProcess(int index, QString *error)
{
    ShardProcess *p = m_processes->at(index);
    if (!p || !openSession(error))
        return false;
    m_startQueue->remove(index);
    p->start();
    return true;
}

void ShardEngine::stopProcess(int index)
{
    if (ShardProcess *p = m_processes->at(index)) {
        m_startQueue->remove(index);
        p->stop();
    }
    closeSessionIfIdle();
}

void ShardEngine::killProcess(int index)
{
    // A second stop of a stopping process kills its group at once (ShardProcess::stop).
    stopProcess(index);
    if (const ShardProcess *p = m_processes->at(index); p && p->state() == ProcessState::Stopping)
        stopProcess(index);
}

void ShardEngine::restartProcess(int index)
{
    ShardProcess *p = m_processes->at(index);
    if (!p)
        return;
    QString error;
    if (!openSession(&error)) {
        emit notice(tr("cannot restart process %1: %2").arg(index).arg(error));
        return;
    }
    p->restart();
}
