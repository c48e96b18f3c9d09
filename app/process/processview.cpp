#include "process/processview.h"

#include "platform/processcontrol.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ProcessState)
};

} // namespace

QString processStateName(ProcessState state)
{
    switch (state) {
    case ProcessState::Pending: return u"pending"_s;
    case ProcessState::Starting: return u"starting"_s;
    case ProcessState::Running: return u"running"_s;
    case ProcessState::Stopping: return u"stopping"_s;
    case ProcessState::Stopped: return u"stopped"_s;
    case ProcessState::Exited: return u"exited"_s;
    case ProcessState::Restarting: return u"restarting"_s;
    case ProcessState::CrashLoop: return u"crash loop"_s;
    }
    return QString();
}

QString processStateText(ProcessState state)
{
    switch (state) {
    case ProcessState::Pending: return Text::tr("pending");
    case ProcessState::Starting: return Text::tr("starting");
    case ProcessState::Running: return Text::tr("running");
    case ProcessState::Stopping: return Text::tr("stopping");
    case ProcessState::Stopped: return Text::tr("stopped");
    case ProcessState::Exited: return Text::tr("exited");
    case ProcessState::Restarting: return Text::tr("restarting");
    case ProcessState::CrashLoop: return Text::tr("crash loop");
    }
    return QString();
}

QString ExitInfo::describe() const
{
    if (failedToStart)
        return Text::tr("failed to start: %1").arg(error);
    if (crashed)
        return ProcessControl::signalName(signal);
    return Text::tr("exit code %1").arg(code);
}

bool ProcessView::isActive() const
{
    const ProcessState s = state();
    return s == ProcessState::Starting || s == ProcessState::Running || s == ProcessState::Stopping;
}
