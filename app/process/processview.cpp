#include "process/processview.h"

#include "platform/processcontrol.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

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

QString ExitInfo::describe() const
{
    if (failedToStart)
        return u"failed to start: "_s + error;
    if (crashed)
        return ProcessControl::signalName(signal);
    return u"exit code %1"_s.arg(code);
}

bool ProcessView::isActive() const
{
    const ProcessState s = state();
    return s == ProcessState::Starting || s == ProcessState::Running || s == ProcessState::Stopping;
}
