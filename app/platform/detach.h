#pragma once

#include <QString>
#include <QStringList>

// Starting a program that outlives us: the window starts a service this way, so closing the
// window, logging out of its terminal or a crash of the window leaves the bot running.
namespace Detach {

// Runs program with arguments in its own session (setsid), not our child (it is reparented at
// once), stdin from /dev/null, stdout and stderr appended to outputPath (made 0600). Returns its
// pid, or -1 with the reason in error (the program could not be run, the file not opened).
qint64 spawn(const QString &program, const QStringList &arguments, const QString &workingDirectory,
             const QString &outputPath, QString *error);

// Whether a process of this pid still exists (and is not a zombie of ours).
bool isAlive(qint64 pid);

} // namespace Detach
