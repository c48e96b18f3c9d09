#pragma once

// Helpers for the tests that run real processes.

#include <QFile>
#include <QHostAddress>
#include <QString>
#include <QTcpServer>

#include <cerrno>
#include <csignal>

namespace ProcessUtil {

// True once pid no longer runs. A zombie counts as gone: an orphan is reparented to init, and a
// container's init may never reap it.
inline bool isGone(qint64 pid)
{
    if (pid <= 0)
        return true;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')'); // the command name may contain anything
    return close >= 0 && close + 2 < text.size() && text.at(close + 2) == 'Z';
}

// A TCP port that was free a moment ago, for profiles whose IPC server must not collide with
// another test running in parallel (the engine itself insists on a real port, 1-65535).
inline int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// A "VmRSS"/"VmHWM"-style field of /proc/<pid>/status in KiB, or -1.
inline qint64 statusKiB(qint64 pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace ProcessUtil
