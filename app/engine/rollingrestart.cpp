#include "engine/rollingrestart.h"

#include <QTimer>

using namespace Qt::StringLiterals;

RollingRestart::RollingRestart(Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_hooks(std::move(hooks))
{
}

void RollingRestart::start()
{
    if (m_index >= 0 || m_hooks.count() == 0)
        return;
    m_index = 0;
    emit notice(tr("rolling restart: %n process(es), one at a time", nullptr, m_hooks.count()));
    step();
}

void RollingRestart::cancel()
{
    if (m_index < 0)
        return;
    m_index = -1;
    emit notice(tr("rolling restart cancelled"));
}

void RollingRestart::step()
{
    if (m_index >= m_hooks.count()) {
        m_index = -1;
        emit notice(tr("rolling restart finished"));
        return;
    }
    m_hooks.restart(m_index);
}

void RollingRestart::advance()
{
    const qint64 gap = m_hooks.gapMs(m_index);
    ++m_index;
    // Keep the profile's spacing between identifies, as a start would.
    QTimer::singleShot(int(gap), this, [this] {
        if (m_index >= 0)
            step();
    });
}

void RollingRestart::onStateChanged(int process, ProcessState state)
{
    if (m_index != process)
        return;
    // A bot that reports readiness over IPC is waited for; others count once running.
    if (state == ProcessState::Running && !m_usesReady.contains(process)) {
        advance();
    } else if (state == ProcessState::CrashLoop || state == ProcessState::Exited
               || state == ProcessState::Stopped || state == ProcessState::Restarting) {
        emit notice(tr("rolling restart stopped: process %1 is %2")
                        .arg(process)
                        .arg(processStateText(state)));
        m_index = -1;
    }
}

void RollingRestart::onReady(int process, ProcessState state)
{
    m_usesReady.insert(process);
    if (m_index == process && state == ProcessState::Running)
        advance();
}
