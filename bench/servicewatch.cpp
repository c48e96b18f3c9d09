#include "servicewatch.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTcpServer>

#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
QByteArray readProc(qint64 pid, const char *file)
{
    QFile f(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(file)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The fields of /proc/PID/stat after the command name: [0] is field 3 (state).
QList<QByteArray> statFields(const QByteArray &stat)
{
    return stat.mid(stat.lastIndexOf(')') + 2).split(' ');
}

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}
} // namespace

double ProcStat::cpuSeconds(qint64 pid)
{
    const QList<QByteArray> fields = statFields(readProc(pid, "stat"));
    if (fields.size() < 13)
        return -1;
    // utime and stime, fields 14 and 15, in clock ticks.
    const qint64 ticks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    return double(ticks) / double(sysconf(_SC_CLK_TCK));
}

qint64 ProcStat::bytesWritten(qint64 pid)
{
    for (const QByteArray &line : readProc(pid, "io").split('\n')) {
        if (line.startsWith("wchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

QList<qint64> ProcStat::children(qint64 parent, const QByteArray &command)
{
    QList<qint64> found;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QByteArray stat = readProc(pid, "stat");
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        const QList<QByteArray> fields = statFields(stat);
        if (open < 0 || close < open || fields.size() < 2)
            continue;
        if (fields.at(1).toLongLong() == parent && stat.mid(open + 1, close - open - 1) == command)
            found.append(pid);
    }
    return found;
}

qint64 linesBytes(qint64 count)
{
    // "line " and the newline, then the digits: 9 numbers of one digit, 90 of two, ...
    qint64 bytes = count * 6;
    for (qint64 from = 1, digits = 1; from <= count; from *= 10, ++digits)
        bytes += (std::min(count, from * 10 - 1) - from + 1) * digits;
    return bytes;
}

QString writeBenchProfile(const QString &folder, const QString &name, int processes,
                          const QStringList &args, bool logFile)
{
    QFile(folder + u"/bot.lua"_s).open(QIODevice::WriteOnly);
    QJsonObject profile {
        {u"file"_s, u"bot.lua"_s},
        {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)},
        {u"interpreterArgs"_s, QJsonArray::fromStringList(args)},
        {u"port"_s, freePort()},
        {u"discordApi"_s, u"http://127.0.0.1:1/api"_s}, // never the real Discord
        {u"maxShards"_s, processes},
        {u"shardsPerProcess"_s, 1},
        {u"waitTime"_s, 0},
        {u"silent"_s, true},
        {u"autoRestart"_s, false},
        {u"stopTimeout"_s, 5000},
    };
    if (logFile)
        profile.insert(u"logFile"_s, QString(name + u".log"_s));
    const QString path = folder + u'/' + name + u".json"_s;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(profile).toJson()) < 0)
        qFatal("bench_attach: cannot write %s", qPrintable(path));
    return path;
}

BenchService::~BenchService()
{
    stop();
}

bool BenchService::start(const QString &profilePath, const QString &statusPath, QString *error)
{
    // A token from the environment, not the keychain: a desktop's keychain may take seconds to
    // answer (or ask to be unlocked), which would blur when the processes start.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"BENCH_ATTACH_TOKEN"_s, u"bench-not-a-token"_s);
    m_process.setProcessEnvironment(env);
    m_process.setStandardOutputFile(statusPath, QIODevice::Append);
    m_process.setStandardErrorFile(statusPath, QIODevice::Append);
    m_process.start(QStringLiteral(SHARDMANAGER_PATH),
                    {u"--headless"_s, u"--no-echo"_s, u"--token-from-env"_s,
                     u"BENCH_ATTACH_TOKEN"_s, profilePath});
    if (m_process.waitForStarted(10000))
        return true;
    *error = m_process.errorString();
    return false;
}

void BenchService::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(30000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

OutputWatch::~OutputWatch()
{
    if (m_thread.joinable())
        m_thread.join();
}

void OutputWatch::start(qint64 servicePid, int children, qint64 bytesEach,
                        std::chrono::milliseconds settle, std::chrono::seconds timeout)
{
    if (m_thread.joinable())
        m_thread.join();
    m_done = false;
    m_result = Result();
    m_thread
        = std::thread(&OutputWatch::run, this, servicePid, children, bytesEach, settle, timeout);
}

void OutputWatch::run(qint64 servicePid, int children, qint64 bytesEach,
                      std::chrono::milliseconds settle, std::chrono::seconds timeout)
{
    using namespace std::chrono_literals;
    const auto deadline = Clock::now() + timeout;
    // Polled often enough that the first and last byte are placed within a few milliseconds; a
    // thread of its own, so that a window's event loop in this process does not pay for it.
    QList<qint64> pids;
    while ((pids = ProcStat::children(servicePid, "fakeshard")).size() < children) {
        if (Clock::now() > deadline) {
            m_result.error = u"%1 of %2 processes started"_s.arg(pids.size()).arg(children);
            m_done = true;
            return;
        }
        std::this_thread::sleep_for(20ms);
    }
    double cpuAtFirst = -1;
    for (;;) {
        const auto now = Clock::now();
        int complete = 0;
        bool any = false;
        for (qint64 pid : std::as_const(pids)) {
            const qint64 written = ProcStat::bytesWritten(pid);
            any = any || written > 0;
            complete += written >= bytesEach ? 1 : 0;
        }
        if (any && cpuAtFirst < 0) {
            cpuAtFirst = ProcStat::cpuSeconds(servicePid);
            m_result.first = now;
        }
        if (complete == children) {
            m_result.last = now;
            break;
        }
        if (now > deadline) {
            m_result.error
                = u"%1 of %2 processes wrote all their lines in time"_s.arg(complete).arg(children);
            m_done = true;
            return;
        }
        std::this_thread::sleep_for(5ms);
    }
    std::this_thread::sleep_for(settle);
    m_result.cpuSeconds = ProcStat::cpuSeconds(servicePid) - cpuAtFirst;
    m_done = true;
}
