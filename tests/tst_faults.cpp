// The fault suite: the shard-manager binary, run headless as a real process, treated the way a
// hostile operator would. Signals that ask for a stop (SIGHUP, SIGQUIT) lose no line; SIGUSR2
// and a closed stdout or stderr do not kill it; --token-from-env leaves no trace in
// /proc/<pid>/environ; an endless stdin line does not grow it; SIGKILL of the manager, or of its
// whole process group, leaves none of its processes or their helpers behind; children killed at
// random moments during a flood lose no line of any incarnation.

#include "floodlog.h"
#include "managerprocess.h"
#include "platform/processcontrol.h"
#include "processutil.h"
#include "testbot.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using ProcessUtil::isGone;

namespace {

QByteArray procFile(qint64 pid, const char *name)
{
    QFile file(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A "Name:   1234 kB" field of /proc/<pid>/status, in kB (-1 when missing).
qint64 statusField(qint64 pid, const QByteArray &name)
{
    for (const QByteArray &line : procFile(pid, "status").split('\n')) {
        if (line.startsWith(name) && line.mid(name.size()).startsWith(':'))
            return line.mid(name.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// The signals a process ignores (SigIgn of /proc/<pid>/status) include sig.
bool ignores(qint64 pid, int sig)
{
    for (const QByteArray &line : procFile(pid, "status").split('\n')) {
        if (line.startsWith("SigIgn:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (sig - 1)) & 1;
    }
    return false;
}

// The guardian the manager started: its child running `shard-manager --guardian`.
qint64 guardianOf(qint64 manager)
{
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        const qint64 pid = entry.toLongLong();
        if (pid <= 0)
            continue;
        const QByteArray stat = procFile(pid, "stat");
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.value(1).toLongLong() == manager
            && procFile(pid, "cmdline").contains("--guardian"))
            return pid;
    }
    return 0;
}

QString survivors(const QList<qint64> &pids)
{
    QStringList alive;
    for (qint64 pid : pids) {
        if (!isGone(pid))
            alive << QString::number(pid);
    }
    return alive.isEmpty() ? QString() : u"still running: "_s + alive.join(u' ');
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void tokenFromEnvLeavesNoTraceInEnviron();
    void stopSignalLosesNothing_data();
    void stopSignalLosesNothing();
    void secondStopSignalKills();
    void sigusr2IsIgnored();
    void closedOutputDoesNotKill_data();
    void closedOutputDoesNotKill();
    void longStdinLineIsDropped();
    void managerKilledLeavesNothing_data();
    void managerKilledLeavesNothing();
    void childrenKilledDuringFlood();

private:
    TestBot m_bot {{{u"interpreterArgs"_s, QJsonArray {u"--pid"_s, u"--run"_s}}}};
};

void TestFaults::initTestCase()
{
    QVERIFY(m_bot.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable());
}

void TestFaults::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestFaults::tokenFromEnvLeavesNoTraceInEnviron()
{
    const QByteArray token = "OTk5.environ-secret.XyZw";
    const QString path = m_bot.write(
        {{u"tokenEnv"_s, u"BOT_TOKEN"_s}, {u"discordApi"_s, u"http://127.0.0.1:1/api"_s}});
    ManagerOptions options;
    options.environment.insert(u"MY_SECRET"_s, QString::fromLatin1(token));
    ManagerProcess m(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s, u"MY_SECRET"_s, path},
        options);
    QTRY_COMPARE(m.printedNumbers(u"PID "_s).size(), 2);

    // What `ps eww` shows: the block the manager was started with.
    const QByteArray block = procFile(m.pid(), "environ");
    QVERIFY(block.contains("PATH="));
    QVERIFY2(!block.contains(token), "the token is still in /proc/<manager>/environ");
    // The children still get it, under tokenEnv only.
    for (qint64 child : m.printedNumbers(u"PID "_s)) {
        const QList<QByteArray> entries = procFile(child, "environ").split('\0');
        QVERIFY(entries.contains("BOT_TOKEN=" + token));
        QVERIFY(!procFile(child, "environ").contains("MY_SECRET="));
    }
    m.process().terminate();
    QVERIFY(m.finish());
    QVERIFY(m.exitedCleanly());
    QVERIFY(!m.lines().join(u'\n').contains(QString::fromLatin1(token)));
}

void TestFaults::stopSignalLosesNothing_data()
{
    QTest::addColumn<int>("sig");
    QTest::newRow("SIGHUP") << int(SIGHUP);
    QTest::newRow("SIGQUIT") << int(SIGQUIT);
}

void TestFaults::stopSignalLosesNothing()
{
    QFETCH(int, sig);
    const QString log = m_bot.filePath(u"stop-%1.log"_s.arg(sig));
    const QString path = m_bot.write(
        {{u"maxShards"_s, 3},
         {u"logFile"_s, log},
         {u"interpreterArgs"_s, QJsonArray {u"--rate=2000"_s, u"--pid-lines=100000000"_s}}});
    ManagerProcess m({u"--headless"_s, path});
    QTRY_COMPARE(m.startedPids().size(), 3);
    QTRY_VERIFY(QFileInfo(log).size() > 0); // flushed every second: the children are printing
    m.sendSignal(sig);
    QVERIFY(m.finish());
    QVERIFY2(m.exitedCleanly(), qPrintable(m.err()));
    QVERIFY2(m.err().contains(ProcessControl::signalName(sig) + u": stopping all processes"_s),
             qPrintable(m.err()));

    const FloodLog flood(log);
    QVERIFY2(flood.problems.isEmpty(), qPrintable(flood.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(flood.ranges.size(), 3);
    for (const QList<FloodLog::Incarnation> &runs : flood.ranges) {
        QCOMPARE(runs.size(), 1);
        QVERIFY(runs.first().lines > 0);
        QVERIFY(runs.first().termSeen); // its last words, after its last numbered line
    }
}

void TestFaults::secondStopSignalKills()
{
    const QString path = m_bot.write(
        {{u"stopTimeout"_s, 600000},
         {u"silent"_s, false},
         {u"interpreterArgs"_s, QJsonArray {u"--ignore-term"_s, u"--pid"_s, u"--run"_s}}});
    ManagerProcess m({u"--headless"_s, path});
    QTRY_COMPARE(m.startedPids().size(), 2);
    // Both ignore SIGTERM by now (a loaded machine may deliver the SIGHUP's SIGTERM earlier).
    QTRY_COMPARE(m.lines().filter(u"IGNORING TERM"_s).size(), 2);
    m.sendSignal(SIGHUP);
    QTRY_VERIFY(m.err().contains(u"SIGHUP: stopping all processes"_s));
    QVERIFY(m.running()); // the children ignore SIGTERM and the timeout is ten minutes away
    m.sendSignal(SIGQUIT);
    QVERIFY(m.finish(5000));
    QVERIFY2(m.exitedCleanly(), qPrintable(m.err()));
    QVERIFY(m.err().contains(u"SIGQUIT again: killing all processes"_s));
    for (const auto &[process, pid] : m.startedPids())
        QVERIFY(isGone(pid));
}

void TestFaults::sigusr2IsIgnored()
{
    const QString path = m_bot.write({{u"maxShards"_s, 1}});
    ManagerProcess m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.printedNumbers(u"PID "_s).size(), 1);
    // What the manager ignores, its children must not inherit.
    const qint64 child = m.printedNumbers(u"PID "_s).first();
    QVERIFY(!ignores(child, SIGUSR2));
    QVERIFY(!ignores(child, SIGPIPE));
    m.sendSignal(SIGUSR2);
    m.process().terminate(); // behind SIGUSR2: only a manager that survived it stops cleanly
    QVERIFY(m.finish());
    QVERIFY2(m.exitedCleanly(), qPrintable(m.err()));
    QCOMPARE(m.output().count(u"TERM"_s), 1); // one stop request, not a kill
}

void TestFaults::closedOutputDoesNotKill_data()
{
    QTest::addColumn<bool>("jsonEvents");
    QTest::newRow("status and echo") << false;
    QTest::newRow("JSON events") << true;
}

void TestFaults::closedOutputDoesNotKill()
{
    // As in `shard-manager --headless bot.json 2>&1 | head` once head has quit: stdout (echo on,
    // or the events) and stderr have no reader, so every write to them fails with EPIPE. The
    // token comes from the environment: no keychain to wait for.
    QFETCH(bool, jsonEvents);
    QList<int> readers;
    ManagerOptions options;
    for (QString *file : {&options.stdoutFile, &options.stderrFile}) {
        *file = m_bot.filePath(u"output-%1.fifo"_s.arg(readers.size() + 2 * jsonEvents));
        QCOMPARE(::mkfifo(QFile::encodeName(*file).constData(), 0600), 0);
        // Close-on-exec: a reader the manager inherited would keep its pipe from ever breaking.
        readers << ::open(QFile::encodeName(*file).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        QVERIFY(readers.last() >= 0);
    }
    options.environment.insert(u"MY_SECRET"_s, u"OTk5.closed-output.AbCd"_s);
    const QString log = m_bot.filePath(u"closed-output-%1.log"_s.arg(jsonEvents));
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1},
         {u"silent"_s, false},
         {u"logFile"_s, log},
         {u"discordApi"_s, u"http://127.0.0.1:1/api"_s},
         {u"interpreterArgs"_s, QJsonArray {u"--rate=500"_s, u"--pid-lines=100000000"_s}}});
    QStringList arguments {u"--headless"_s, u"--token-from-env"_s, u"MY_SECRET"_s};
    if (jsonEvents)
        arguments << u"--events"_s << u"json"_s;
    arguments << path;
    ManagerProcess m(arguments, options);
    for (int reader : std::as_const(readers))
        ::close(reader); // handed to the manager, which is still starting up

    // Two seconds of lines (each echoed or sent as an event into the closed pipe) reach the log.
    QTRY_VERIFY_WITH_TIMEOUT(FloodLog(log).totalLines > 1000 || !m.running(), 10000);
    QVERIFY2(m.running(), "the manager died writing to a closed pipe");
    m.process().terminate();
    QVERIFY(m.finish());
    QVERIFY(m.exitedCleanly());
    const FloodLog flood(log);
    QVERIFY2(flood.problems.isEmpty(), qPrintable(flood.problems.mid(0, 10).join(u'\n')));
}

void TestFaults::longStdinLineIsDropped()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1},
         {u"interpreterArgs"_s,
          QJsonArray {u"--ipc-connect"_s, u"--ipc-send=connected"_s, u"--ipc-echo"_s}}});
    ManagerProcess m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.events(u"ipcMessage"_s).size(), 1);
    m.process().write("before\n");
    QTRY_VERIFY(m.output().contains(u"IPC before"_s));
    const qint64 rssBefore = statusField(m.pid(), "VmRSS");
    QVERIFY(rssBefore > 0);

    const qsizetype size = 5 * 1024 * 1024;
    m.process().write(QByteArray(size, 'x'));
    m.process().write("\nafter\n"); // the end of the long line, then one that must still work
    QTRY_VERIFY_WITH_TIMEOUT(m.output().contains(u"IPC after"_s), 10000);
    const qint64 rssAfter = statusField(m.pid(), "VmRSS");
    const qint64 peak = statusField(m.pid(), "VmHWM");
    const QString figures
        = u"VmRSS %1 kB before, %2 kB after, VmHWM %3 kB"_s.arg(rssBefore).arg(rssAfter).arg(peak);
    qInfo("%s", qPrintable(figures));
    QVERIFY2(rssAfter < rssBefore * 3 / 2, qPrintable(figures));
    QVERIFY2(peak < rssBefore * 3 / 2, qPrintable(figures));

    // The child got the lines around it, and nothing of it.
    QCOMPARE(m.output(), QStringList({u"IPC before"_s, u"IPC after"_s}));
    // Reported once, with its size.
    int reports = 0;
    for (const QJsonObject &o : m.events(u"notice"_s)) {
        if (o.value(u"message"_s).toString().contains(u"dropped a line of %1 bytes"_s.arg(size)))
            ++reports;
    }
    QCOMPARE(reports, 1);
    m.process().terminate();
    QVERIFY(m.finish());
    QVERIFY(m.exitedCleanly());
}

void TestFaults::managerKilledLeavesNothing_data()
{
    QTest::addColumn<bool>("wholeGroup");
    QTest::newRow("SIGKILL to the manager") << false;
    QTest::newRow("SIGKILL to its process group") << true;
}

void TestFaults::managerKilledLeavesNothing()
{
    QFETCH(bool, wholeGroup);
    // Each child forks a helper into its own group, which PR_SET_PDEATHSIG does not reach.
    const QString path = m_bot.write(
        {{u"maxShards"_s, 20},
         {u"interpreterArgs"_s, QJsonArray {u"--grandchild"_s, u"--pid"_s, u"--run"_s}}});
    ManagerProcess m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_VERIFY_WITH_TIMEOUT(m.printedNumbers(u"PID "_s).size() == 20
                                 && m.printedNumbers(u"GRANDCHILD "_s).size() == 20,
                             20000);
    const QList<qint64> all = m.printedNumbers(u"PID "_s) + m.printedNumbers(u"GRANDCHILD "_s);
    for (qint64 pid : all)
        QVERIFY(!isGone(pid));
    const qint64 guardian = guardianOf(m.pid());
    QVERIFY(guardian > 0);

    QCOMPARE(::getpgid(pid_t(m.pid())),
             pid_t(m.pid())); // the leader of its group, as a shell's job
    QVERIFY(::kill(wholeGroup ? -pid_t(m.pid()) : pid_t(m.pid()), SIGKILL) == 0);
    QVERIFY(m.finish());
    QTRY_VERIFY2_WITH_TIMEOUT(survivors(all).isEmpty(), qPrintable(survivors(all)), 2000);
    // Its job done, the guardian is gone too.
    QTRY_VERIFY_WITH_TIMEOUT(isGone(guardian), 2000);
}

void TestFaults::childrenKilledDuringFlood()
{
    const QString log = m_bot.filePath(u"flood.log"_s);
    const QString path = m_bot.write(
        {{u"maxShards"_s, 4},
         {u"logFile"_s, log},
         {u"autoRestart"_s, true},
         {u"restartDelay"_s, 50},
         {u"restartDelayMax"_s, 100},
         {u"maxRestarts"_s, 1000},
         {u"interpreterArgs"_s, QJsonArray {u"--rate=1500"_s, u"--pid-lines=100000000"_s}}});
    ManagerProcess m({u"--headless"_s, path});
    QTRY_COMPARE(m.startedPids().size(), 4);

    // FAULTS_SEED=<seed> repeats a run's choices (its timing is the machine's).
    const quint32 seed = qEnvironmentVariableIsSet("FAULTS_SEED")
        ? qgetenv("FAULTS_SEED").toUInt()
        : QRandomGenerator::global()->generate();
    qInfo("random seed %u", seed);
    QRandomGenerator random(seed);
    QHash<qint64, QElapsedTimer> seenAt; // pid -> since when the test knows it runs
    QHash<int, int> killsPerProcess;
    int kills = 0;
    while (kills < 10) {
        // The fault schedule, not a condition: the next kill lands at a random moment.
        QTest::qWait(random.bounded(100, 500));
        QList<std::pair<int, qint64>> candidates;
        QHash<int, qint64> latest; // process -> its newest pid
        for (const auto &[process, pid] : m.startedPids())
            latest.insert(process, pid);
        for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
            if (!seenAt.contains(it.value()))
                seenAt[it.value()].start();
            // Running long enough to have printed (a batch every 10 ms), and still running.
            if (seenAt[it.value()].elapsed() >= 100 && !isGone(it.value()))
                candidates.append({it.key(), it.value()});
        }
        if (candidates.isEmpty())
            continue;
        const auto [process, pid] = candidates.at(random.bounded(qsizetype(candidates.size())));
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        ++killsPerProcess[process];
        ++kills;
    }
    // Every process restarted after its last kill, then a clean stop.
    QTRY_VERIFY_WITH_TIMEOUT(m.startedPids().size() == 4 + kills, 10000);
    m.process().terminate();
    QVERIFY(m.finish());
    QVERIFY2(m.exitedCleanly(), qPrintable(m.err()));

    const FloodLog flood(log);
    QVERIFY2(flood.problems.isEmpty(), qPrintable(flood.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(flood.ranges.size(), 4);
    for (int process = 0; process < 4; ++process) {
        const QList<FloodLog::Incarnation> runs = flood.ranges.value(u"%1 to %1"_s.arg(process));
        QCOMPARE(runs.size(), 1 + killsPerProcess.value(process));
        for (const FloodLog::Incarnation &run : runs)
            QVERIFY(run.lines > 0);
        QVERIFY(runs.last().termSeen);
    }
    qInfo("%lld lines in %d incarnations checked", flood.totalLines, 4 + kills);
}

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
