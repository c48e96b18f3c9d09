#include "managernotices.h"

#include "engine/abstractengine.h"
#include "text/exittext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// Stops of one Stop All come within this; they make one line.
constexpr int kStoppedBatchMs = 150;
constexpr int kListedProcesses = 8;
} // namespace

ManagerNotices::ManagerNotices(AbstractEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    m_stoppedTimer.setSingleShot(true);
    m_stoppedTimer.setInterval(kStoppedBatchMs);
    connect(&m_stoppedTimer, &QTimer::timeout, this, &ManagerNotices::reportStopped);
    connect(engine, &AbstractEngine::processExited, this,
            [this](int process, const ExitInfo &info) {
        if (!info.requested) {
            emit notice(tr("process %1 exited: %2").arg(process).arg(ExitText::outcome(info)));
            return;
        }
        m_stopped.append(process);
        if (!m_stoppedTimer.isActive())
            m_stoppedTimer.start();
    });
    connect(engine, &AbstractEngine::processStateChanged, this,
            [this](int process, ProcessState state) {
        if (state != ProcessState::CrashLoop)
            return;
        emit notice(tr("process %1 is in a crash loop: it exited too often in a row, so it is "
                       "not restarted automatically (Start starts it again)")
                        .arg(process));
    });
    // A new plan renumbers the processes: what was pending belongs to the old one.
    connect(engine, &AbstractEngine::processesAboutToBeRebuilt, this, [this] { reportStopped(); });
}

void ManagerNotices::reportStopped()
{
    m_stoppedTimer.stop();
    if (m_stopped.isEmpty())
        return;
    std::sort(m_stopped.begin(), m_stopped.end());
    if (m_stopped.size() == 1) {
        emit notice(tr("process %1 stopped on request").arg(m_stopped.first()));
    } else {
        QStringList listed;
        for (qsizetype i = 0; i < std::min<qsizetype>(m_stopped.size(), kListedProcesses); ++i)
            listed << QString::number(m_stopped.at(i));
        if (m_stopped.size() > kListedProcesses)
            listed << u"…"_s;
        emit notice(tr("%1 processes stopped on request (%2)")
                        .arg(m_stopped.size())
                        .arg(listed.join(u", "_s)));
    }
    m_stopped.clear();
}
