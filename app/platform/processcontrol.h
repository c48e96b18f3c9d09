#pragma once

#include <QtGlobal>

class QProcess;

// The operating-system side of running a shard process: its own process group, dying with the
// manager, and signalling the whole group. One file per platform implements it
// (processcontrol_unix.cpp today; a Windows port adds job objects behind the same calls).
namespace ProcessControl {

// Prepares the QProcess so the child gets its own process group and, on Linux, is killed when
// the manager dies. Call before QProcess::start().
void prepare(QProcess *process);

// Asks the process group led by pid to terminate (SIGTERM).
void terminateGroup(qint64 pid);
// Kills the process group led by pid (SIGKILL). Harmless when the group is already gone.
void killGroup(qint64 pid);
// Kills what is left of a group whose leader has exited and been reaped (its helpers).
// Never signals the pid itself: after reaping, that number may belong to someone else.
void killLeftovers(qint64 pgid);
// True while any process of the group led by pid is alive.
bool groupAlive(qint64 pid);

// Whether a start that failed (QProcess's error text) would fail the same way at every retry:
// exec refused the program, its folder or its arguments ("execve: Argument list too long").
// A fork that failed for want of memory or processes may work next time.
bool isPermanentStartFailure(const QString &error);

// Exit status decoding: QProcess reports a signal number as the exit code of a crash.
QString signalName(int signal);

} // namespace ProcessControl
