#include "engine/restarthold.h"
#include "diagnostics.h"

using namespace Qt::StringLiterals;

RestartHold::RestartHold(Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_hooks(std::move(hooks))
{
}

bool RestartHold::holdsBack(int process) const
{
    if (m_paused)
        return true;
    const ProcessView *p = m_hooks.process(process);
    return p && !p->autoRestartBlock().isEmpty();
}

void RestartHold::pauseForBudget(int remaining, int threshold)
{
    if (m_paused)
        return;
    const QString reason
        = tr("only %1 session starts (identifies) left today, under the guard's %2: "
             "automatic restarts are paused so a crash loop cannot exhaust them "
             "(Discord resets the token when they run out); resume by hand")
              .arg(remaining)
              .arg(threshold);
    m_paused = true;
    qCDebug(lcEngine) << "automatic restarts paused:" << reason;
    m_hooks.setPaused(true);
    emit notice(reason);
    emit pausedChanged(true, reason);
}

void RestartHold::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    qCDebug(lcEngine) << "automatic restarts resumed";
    m_hooks.setPaused(false);
    for (int i = 0; i < m_hooks.count(); ++i) {
        const ProcessView *p = m_hooks.process(i);
        if (p->state() == ProcessState::Exited && !p->lastExit().restartHeldBack.isEmpty()
            && p->autoRestartBlock().isEmpty())
            m_hooks.start(i);
    }
    emit pausedChanged(false, QString());
}

void RestartHold::onShardState(int process, const ShardState &state)
{
    if (state.state != u"closed"_s || !ShardStates::isFatalCloseCode(state.closeCode))
        return;
    const ProcessView *p = m_hooks.process(process);
    if (!p || !p->autoRestartBlock().isEmpty())
        return;
    const QString reason = tr("shard %1 was closed with %2 (%3), which Discord says not to retry")
                               .arg(state.shard)
                               .arg(state.closeCode)
                               .arg(ShardStates::closeCodeMeaning(state.closeCode));
    qCDebug(lcEngine) << "process" << process << "restart blocked, fatal close code"
                      << state.closeCode;
    m_hooks.block(process, reason);
    emit notice(tr("process %1 will not be restarted automatically: %2").arg(process).arg(reason));
}
