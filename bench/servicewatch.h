#pragma once

// bench_attach's view of a service from outside: the service it starts, its CPU time and its
// children's output as /proc shows them, so that a service with no client is measured exactly as
// one with a window attached.

#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <thread>

namespace ProcStat {
// utime + stime of a process in seconds, -1 when it is gone.
double cpuSeconds(qint64 pid);
// Bytes it has written so far (wchar of /proc/PID/io), -1 when unreadable.
qint64 bytesWritten(qint64 pid);
// The children of parent whose command name is command.
QList<qint64> children(qint64 parent, const QByteArray &command);
} // namespace ProcStat

// What fakeshard writes for --lines=count: "line 1\n" .. "line count\n".
qint64 linesBytes(qint64 count);

// A profile in folder (name.json, with an empty bot.lua beside it) that runs `processes`
// fakeshard processes with args; its log file name.log when logFile. Returns its path.
QString writeBenchProfile(const QString &folder, const QString &name, int processes,
                          const QStringList &args, bool logFile);

// `shard-manager --headless --no-echo --token-from-env` on a profile, its status lines in a file.
class BenchService {
public:
    ~BenchService();
    bool start(const QString &profilePath, const QString &statusPath, QString *error);
    qint64 pid() const { return m_process.processId(); }
    // SIGTERM, as a service manager stops it; SIGKILL if it is not gone within 30 s.
    void stop();

private:
    QProcess m_process;
};

// Waits in a thread for the service's fakeshard children to appear, then times their output:
// from the first byte any of them wrote to the moment all have written bytesEach. The service's
// CPU is read at both ends, the second one `settle` later so that what the service still does
// for the last lines (a client's queue) counts.
class OutputWatch {
public:
    using Clock = std::chrono::steady_clock;
    struct Result {
        QString error; // empty when the output came in full
        Clock::time_point first;
        Clock::time_point last;
        double cpuSeconds = 0; // the service's, from first to last + settle
        double wallSeconds() const { return std::chrono::duration<double>(last - first).count(); }
    };

    ~OutputWatch();
    void start(qint64 servicePid, int children, qint64 bytesEach, std::chrono::milliseconds settle,
               std::chrono::seconds timeout);
    bool isDone() const { return m_done.load(); }
    // Valid once isDone().
    const Result &result() const { return m_result; }

private:
    void run(qint64 servicePid, int children, qint64 bytesEach, std::chrono::milliseconds settle,
             std::chrono::seconds timeout);

    std::thread m_thread;
    std::atomic<bool> m_done {false};
    Result m_result;
};
