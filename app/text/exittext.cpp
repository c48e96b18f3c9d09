#include "text/exittext.h"

#include "process/processview.h"

#include <QCoreApplication>

QString ExitText::outcome(const ExitInfo &info)
{
    if (!info.restartScheduled)
        return info.describe();
    return QCoreApplication::translate("ExitText", "%1, restarting in %2 s")
        .arg(info.describe())
        .arg(double(info.restartInMs) / 1000.0, 0, 'f', 1);
}
