// Tests ShardProcess with the real fakeshard child: argv and environment as given, output cut
// into exact lines, exit and crash reports, stop escalation, process groups, restart backoff.

#include "platform/processcontrol.h"
#include "process/shardprocess.h"
#include "processutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;
using ProcessUtil::isGone;

namespace {

// Everything one ShardProcess reports, in arrival order.
struct Recorder {
    QStringList out;
    QStringList err;
    QList<ExitInfo> exits;
    QList<ProcessState> states;
    QList<qint64> pids;
    QStringList events; // "out:<line>", "err:<line>", "exit", "started"

    void attach(ShardProcess *p)
    {
        QObject::connect(p, &ShardProcess::linesRead, p,
                         [this](bool isStderr, const QStringList &lines) {
            for (const QString &line : lines)
                events << (isStderr ? u"err:"_s : u"out:"_s) + line;
            (isStderr ? err : out) += lines;
        });
        QObject::connect(p, &ShardProcess::exited, p, [this](const ExitInfo &info) {
            exits << info;
            events << u"exit"_s;
        });
        QObject::connect(p, &ShardProcess::stateChanged, p,
                         [this](ProcessState state) { states << state; });
        QObject::connect(p, &ShardProcess::started, p, [this](qint64 pid) {
            pids << pid;
            events << u"started"_s;
        });
    }

    // The number after "<prefix> " in the first stdout line that has it; 0 when none has.
    qint64 number(const QString &prefix) const
    {
        for (const QString &line : out) {
            if (line.startsWith(prefix + u' '))
                return line.mid(prefix.size() + 1).toLongLong();
        }
        return 0;
    }
};

RestartPolicy noRestart(int stopTimeoutMs = 5000)
{
    RestartPolicy policy;
    policy.autoRestart = false;
    policy.stopTimeoutMs = stopTimeoutMs;
    return policy;
}

} // namespace

class TestShardProcess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void passesArgvEnvironmentAndWorkingDirectory();
    void stdoutAndStderrLines();
    void manyLinesInOrder();
    void partialLineAfterIdle();
    void shortPauseDoesNotSplitLine();
    void partialLineNotHeldBackByOtherChannel();
    void busyEventLoopDoesNotSplitLine();
    void partialLineAtExit();
    void crlfDropsCarriageReturn();
    void megabyteLineArrivesWhole();
    void exitCode();
    void crashBySignal_data();
    void crashBySignal();
    void failedToStart();
    void execFailureIsACrashLoopAtOnce_data();
    void execFailureIsACrashLoopAtOnce();
    void onlyExecFailuresArePermanent();
    void stopSendsTerm();
    void stopWhileStarting();
    void stopEscalatesToKill();
    void secondStopKillsAtOnce();
    void grandchildDiesOnStop_data();
    void grandchildDiesOnStop();
    void leftoversDieWhenChildExits();
    void destroyingKillsTheGroup();
    void restartGivesNewPid();
    void backoffGrowsThenCrashLoop();
    void backoffResetsAfterHealthyWindow();
    void stopCancelsScheduledRestart();
    void pauseDuringBackoffHoldsTheRestart();
    void secretsAreRedacted();
    void recentLinesKeepLastN();
    void recentLinesRing();

private:
    LaunchSpec spec(const QStringList &behaviours, const QStringList &extra = {}) const;

    QTemporaryDir m_dir;
};

void TestShardProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFileInfo(QStringLiteral(FAKESHARD_PATH)).isExecutable());
}

void TestShardProcess::init()
{
    // A QProcess destroyed while running means a shard outlived its owner.
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

LaunchSpec TestShardProcess::spec(const QStringList &behaviours, const QStringList &extra) const
{
    LaunchSpec s;
    s.program = QStringLiteral(FAKESHARD_PATH);
    s.arguments = behaviours;
    s.arguments << u"bot.lua"_s << u"1337"_s << u"0"_s << u"0"_s << u"1"_s << extra;
    s.environment = QProcessEnvironment::systemEnvironment();
    s.workingDirectory = m_dir.path();
    return s;
}

void TestShardProcess::passesArgvEnvironmentAndWorkingDirectory()
{
    LaunchSpec s = spec({u"--print-args"_s, u"--print-env=SHARDER_TEST,PATH"_s, u"--pid"_s,
                         u"--print=READY"_s, u"--run"_s},
                        {u"two words"_s, QString(), u"ünïcode"_s, u"--not-an-option"_s});
    QProcessEnvironment env;
    env.insert(u"SHARDER_TEST"_s, u"a b=c"_s);
    s.environment = env; // exactly this: nothing inherited
    QVERIFY(QDir(m_dir.path()).mkpath(u"cwd"_s));
    s.workingDirectory = m_dir.filePath(u"cwd"_s);

    Recorder r;
    ShardProcess p({0, 0, 0, 0}, s, noRestart());
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"READY"_s));

    QVERIFY(r.out.first().startsWith(u"ARGV "_s));
    const QJsonArray argv = QJsonDocument::fromJson(r.out.first().mid(5).toUtf8()).array();
    QStringList actual;
    for (const QJsonValue &v : argv)
        actual << v.toString();
    QCOMPARE(actual, QStringList {s.program} + s.arguments);

    QVERIFY(r.out.contains(u"ENV SHARDER_TEST=a b=c"_s));
    QVERIFY(r.out.contains(u"ENV PATH unset"_s));

    QCOMPARE(r.number(u"PID"_s), p.pid());
    QCOMPARE(r.pids, QList<qint64> {p.pid()});
    QCOMPARE(QFileInfo(u"/proc/%1/cwd"_s.arg(p.pid())).symLinkTarget(),
             QDir(s.workingDirectory).canonicalPath());

    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::stdoutAndStderrLines()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0},
                   spec({u"--print=one"_s, u"--stderr=oops"_s, u"--print="_s, u"--print=two  "_s,
                         u"--stderr=again"_s, u"--exit=0"_s}),
                   noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    QCOMPARE(r.out, QStringList({u"one"_s, QString(), u"two  "_s}));
    QCOMPARE(r.err, QStringList({u"oops"_s, u"again"_s}));

    QStringList recentOut, recentErr;
    for (const OutputLine &line : p.recentLines().lines())
        (line.isStderr ? recentErr : recentOut) << line.text;
    QCOMPARE(recentOut, r.out);
    QCOMPARE(recentErr, r.err);
}

void TestShardProcess::manyLinesInOrder()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0},
                   spec({u"--lines=20000"_s, u"--stderr-lines=5000"_s, u"--exit=0"_s}),
                   noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE_WITH_TIMEOUT(r.exits.size(), 1, 10000);
    QCOMPARE(r.out.size(), 20000);
    QCOMPARE(r.err.size(), 5000);
    for (int i = 0; i < 20000; ++i)
        QCOMPARE(r.out.at(i), u"line %1"_s.arg(i + 1));
    for (int i = 0; i < 5000; ++i)
        QCOMPARE(r.err.at(i), u"err %1"_s.arg(i + 1));
}

void TestShardProcess::partialLineAfterIdle()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--partial=prompt> "_s, u"--run"_s}), noRestart());
    r.attach(&p);
    qint64 deliveredAfter = -1;
    QElapsedTimer clock;
    connect(&p, &ShardProcess::linesRead, this, [&] { deliveredAfter = clock.elapsed(); });
    clock.start();
    p.start();
    QTRY_COMPARE(r.out, QStringList {u"prompt> "_s});
    QCOMPARE(p.state(), ProcessState::Running); // delivered by the idle timer, not by the exit
    // Not before 100 ms of silence (a coarse timer may fire 5 % early), and not much later.
    QVERIFY2(deliveredAfter >= 90 && deliveredAfter < 2000,
             qPrintable(QString::number(deliveredAfter)));
    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
    QCOMPARE(r.out, QStringList({u"prompt> "_s, u"TERM"_s}));
}

void TestShardProcess::shortPauseDoesNotSplitLine()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0},
                   spec({u"--partial=ab"_s, u"--sleep=100"_s, u"--partial=cd"_s, u"--print=ef"_s,
                         u"--print=READY"_s, u"--run"_s}),
                   noRestart());
    p.setPartialLineDelay(1000); // the pause is much shorter than the delay, even on a busy machine
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"READY"_s));
    QCOMPARE(r.out, QStringList({u"abcdef"_s, u"READY"_s}));
    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::busyEventLoopDoesNotSplitLine()
{
    // The rest of a line reaches the pipe in time, but the event loop is busy with another
    // process's output until the partial-line delay is up. The timer then runs in the same turn
    // of the loop, before the pipe is read: it must not cut the line (it did, under a flood).
    Recorder r;
    ShardProcess victim({0, 0, 0, 0},
                        spec({u"--partial=ab"_s, u"--sleep=150"_s, u"--print=cd"_s,
                              u"--print=READY"_s, u"--run"_s}),
                        noRestart());
    victim.setPartialLineDelay(200);
    r.attach(&victim);
    ShardProcess busy({1, 1, 1, 0}, spec({u"--sleep=50"_s, u"--print=busy"_s, u"--run"_s}),
                      noRestart());
    bool blocked = false;
    connect(&busy, &ShardProcess::linesRead, this, [&blocked] {
        blocked = true;
        // Not a wait for anything: a slow handler of output keeps the loop busy from 50 to
        // 450 ms, while "cd" arrives (150 ms) and the partial line is due (200 ms).
        QElapsedTimer work;
        work.start();
        volatile quint64 sink = 0;
        while (work.elapsed() < 400)
            sink = sink + 1;
    });
    // Some timer is always due, as in a busy window, so timers run in every turn of the loop.
    QTimer due;
    due.start(0);
    victim.start();
    busy.start();
    QTRY_VERIFY(r.out.contains(u"READY"_s));
    QVERIFY(blocked);
    QCOMPARE(r.out, QStringList({u"abcd"_s, u"READY"_s}));
    due.stop();
    victim.stop();
    busy.stop();
    QTRY_COMPARE(victim.state(), ProcessState::Stopped);
    QTRY_COMPARE(busy.state(), ProcessState::Stopped);
}

void TestShardProcess::partialLineNotHeldBackByOtherChannel()
{
    // Silence is per channel: a busy stderr must not keep a stdout prompt from being delivered.
    Recorder r;
    ShardProcess p({0, 0, 0, 0},
                   spec({u"--partial=prompt> "_s, u"--sleep=250"_s, u"--stderr=err 1"_s,
                         u"--sleep=250"_s, u"--stderr=err 2"_s, u"--sleep=250"_s,
                         u"--stderr=err 3"_s, u"--sleep=250"_s, u"--stderr=err 4"_s, u"--run"_s}),
                   noRestart());
    p.setPartialLineDelay(300);
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.err.contains(u"err 4"_s));
    // The prompt was due ~300 ms after it was printed, between "err 1" and "err 2".
    const qsizetype prompt = r.events.indexOf(u"out:prompt> "_s);
    QVERIFY2(prompt >= 0, qPrintable(r.events.join(u", "_s)));
    QVERIFY2(prompt < r.events.indexOf(u"err:err 3"_s), qPrintable(r.events.join(u", "_s)));
    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::partialLineAtExit()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--print=first"_s, u"--partial=tail"_s, u"--exit=0"_s}),
                   noRestart());
    p.setPartialLineDelay(60000); // only the exit can deliver the tail in time
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    QCOMPARE(r.events, QStringList({u"started"_s, u"out:first"_s, u"out:tail"_s, u"exit"_s}));
}

void TestShardProcess::crlfDropsCarriageReturn()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0},
                   spec({u"--crlf=hello"_s, u"--crlf="_s, u"--print=plain"_s, u"--exit=0"_s}),
                   noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    QCOMPARE(r.out, QStringList({u"hello"_s, QString(), u"plain"_s}));
}

void TestShardProcess::megabyteLineArrivesWhole()
{
    constexpr int size = 1024 * 1024;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--big=%1"_s.arg(size), u"--print=after"_s, u"--exit=0"_s}),
                   noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE_WITH_TIMEOUT(r.exits.size(), 1, 10000);
    QCOMPARE(r.out.size(), 2);
    QCOMPARE(r.out.at(0).size(), size);
    QVERIFY(r.out.at(0) == QString(size, u'x'));
    QCOMPARE(r.out.at(1), u"after"_s);
}

void TestShardProcess::exitCode()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--exit=3"_s}), noRestart());
    r.attach(&p);
    QVERIFY(!p.hasExited());
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    const ExitInfo &info = r.exits.first();
    QCOMPARE(info.code, 3);
    QVERIFY(!info.crashed);
    QCOMPARE(info.signal, 0);
    QVERIFY(!info.requested);
    QVERIFY(!info.failedToStart);
    QVERIFY(!info.restartScheduled);
    QCOMPARE(info.describe(), u"exit code 3"_s);
    QCOMPARE(p.state(), ProcessState::Exited);
    QVERIFY(p.hasExited());
    QCOMPARE(p.lastExit().code, 3);
    QCOMPARE(p.pid(), 0);
    QCOMPARE(
        r.states,
        QList<ProcessState>({ProcessState::Starting, ProcessState::Running, ProcessState::Exited}));
}

void TestShardProcess::crashBySignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGSEGV") << 11 << u"SIGSEGV"_s;
    QTest::newRow("SIGKILL") << 9 << u"SIGKILL"_s;
    QTest::newRow("SIGABRT") << 6 << u"SIGABRT"_s;
}

void TestShardProcess::crashBySignal()
{
    QFETCH(int, signal);
    QFETCH(QString, name);

    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--crash=%1"_s.arg(signal)}), noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    const ExitInfo &info = r.exits.first();
    QVERIFY(info.crashed);
    QCOMPARE(info.signal, signal);
    QVERIFY(!info.requested);
    QCOMPARE(info.describe(), name);
    QCOMPARE(p.state(), ProcessState::Exited);
}

void TestShardProcess::failedToStart()
{
    LaunchSpec s = spec({});
    s.program = m_dir.filePath(u"no-such-interpreter"_s);
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, s, noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    const ExitInfo &info = r.exits.first();
    QVERIFY(info.failedToStart);
    QVERIFY(!info.error.isEmpty());
    QVERIFY2(info.describe().startsWith(u"failed to start: "_s), qPrintable(info.describe()));
    QCOMPARE(p.state(), ProcessState::Exited);
    QVERIFY(r.pids.isEmpty());
}

void TestShardProcess::execFailureIsACrashLoopAtOnce_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("error");
    // Linux takes no single argument of 32 pages or more (MAX_ARG_STRLEN).
    QTest::newRow("argument too long")
        << QStringLiteral(FAKESHARD_PATH) << QStringList {QString(256 * 1024, u'a')} << int(E2BIG);
    QTest::newRow("program gone") << m_dir.filePath(u"no-such-interpreter"_s) << QStringList()
                                  << int(ENOENT);
}

void TestShardProcess::execFailureIsACrashLoopAtOnce()
{
    QFETCH(QString, program);
    QFETCH(QStringList, extra);
    QFETCH(int, error);
    RestartPolicy policy;
    policy.autoRestart = true;
    policy.delayMs = 10;
    policy.maxRestarts = 5;
    LaunchSpec s = spec({u"--print=started"_s}, extra);
    s.program = program;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, s, policy);
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    // Every retry would fail the same way: no backoff, no restart.
    QCOMPARE(p.state(), ProcessState::CrashLoop);
    const ExitInfo &info = r.exits.first();
    QVERIFY(info.failedToStart);
    QVERIFY(!info.restartScheduled);
    QVERIFY2(info.error.endsWith(QString::fromLocal8Bit(std::strerror(error))),
             qPrintable(info.error));
    QVERIFY(r.pids.isEmpty());
}

void TestShardProcess::onlyExecFailuresArePermanent()
{
    auto reason = [](int error) { return QString::fromLocal8Bit(std::strerror(error)); };
    QVERIFY(ProcessControl::isPermanentStartFailure(u"execve: "_s + reason(E2BIG)));
    QVERIFY(ProcessControl::isPermanentStartFailure(u"execve: "_s + reason(EACCES)));
    QVERIFY(ProcessControl::isPermanentStartFailure(u"chdir: "_s + reason(ENOENT)));
    // A fork that failed, or an exec short of memory, may work at the next try: keep the backoff.
    QVERIFY(!ProcessControl::isPermanentStartFailure(u"Resource error (fork failure): "_s
                                                     + reason(EAGAIN)));
    QVERIFY(!ProcessControl::isPermanentStartFailure(u"Resource error (fork failure): "_s
                                                     + reason(ENOMEM)));
    QVERIFY(!ProcessControl::isPermanentStartFailure(u"execve: "_s + reason(ENOMEM)));
    QVERIFY(!ProcessControl::isPermanentStartFailure(u"execve: "_s + reason(ETXTBSY)));
}

void TestShardProcess::stopSendsTerm()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--print=READY"_s, u"--run"_s}), noRestart());
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"READY"_s));
    QCOMPARE(p.state(), ProcessState::Running);
    QVERIFY(p.isActive());
    p.stop();
    QCOMPARE(p.state(), ProcessState::Stopping);
    QTRY_COMPARE(r.exits.size(), 1);
    const ExitInfo &info = r.exits.first();
    QVERIFY(info.requested);
    QVERIFY(!info.crashed);
    QCOMPARE(info.code, 0);
    QVERIFY(!info.restartScheduled);
    QCOMPARE(r.out, QStringList({u"READY"_s, u"TERM"_s}));
    QCOMPARE(r.states,
             QList<ProcessState>({ProcessState::Starting, ProcessState::Running,
                                  ProcessState::Stopping, ProcessState::Stopped}));
    QVERIFY(!p.isActive());
}

void TestShardProcess::stopWhileStarting()
{
    // Stopped before the started notification arrived: the stop must stand, and the exit that
    // follows is a requested one, not a crash to restart.
    RestartPolicy policy;
    policy.autoRestart = true;
    policy.delayMs = 10;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--print=READY"_s, u"--run"_s}), policy);
    r.attach(&p);
    p.start();
    QCOMPARE(p.state(), ProcessState::Starting);
    p.stop();
    QCOMPARE(p.state(), ProcessState::Stopping);
    QTRY_COMPARE(r.exits.size(), 1);
    QVERIFY(r.exits.first().requested);
    QVERIFY(!r.exits.first().restartScheduled);
    QCOMPARE(p.state(), ProcessState::Stopped);
    QVERIFY(!r.states.contains(ProcessState::Running));
    QCOMPARE(p.restarts(), 0);
}

void TestShardProcess::stopEscalatesToKill()
{
    constexpr int stopTimeout = 300;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--ignore-term"_s, u"--run"_s}), noRestart(stopTimeout));
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"IGNORING TERM"_s));
    QElapsedTimer clock;
    clock.start();
    p.stop();
    QTRY_COMPARE(r.exits.size(), 1);
    const qint64 elapsed = clock.elapsed();
    const ExitInfo &info = r.exits.first();
    QVERIFY(info.crashed);
    QCOMPARE(info.signal, 9);
    QVERIFY(info.requested);
    QCOMPARE(p.state(), ProcessState::Stopped);
    QVERIFY(!r.out.contains(u"TERM"_s));
    QVERIFY2(elapsed >= stopTimeout - 20, qPrintable(QString::number(elapsed)));
}

void TestShardProcess::secondStopKillsAtOnce()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--ignore-term"_s, u"--run"_s}), noRestart(600000));
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"IGNORING TERM"_s));
    p.stop();
    QCOMPARE(p.state(), ProcessState::Stopping);
    p.stop();
    QTRY_COMPARE(r.exits.size(), 1);
    QVERIFY(r.exits.first().crashed);
    QCOMPARE(r.exits.first().signal, 9);
    QCOMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::grandchildDiesOnStop_data()
{
    QTest::addColumn<QStringList>("behaviours");
    QTest::newRow("grandchild takes SIGTERM")
        << QStringList {u"--grandchild"_s, u"--print=READY"_s, u"--run"_s};
    QTest::newRow("everyone ignores SIGTERM")
        << QStringList {u"--ignore-term"_s, u"--grandchild"_s, u"--print=READY"_s, u"--run"_s};
}

void TestShardProcess::grandchildDiesOnStop()
{
    QFETCH(QStringList, behaviours);
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec(behaviours), noRestart(200));
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.out.contains(u"READY"_s));
    const qint64 grandchild = r.number(u"GRANDCHILD"_s);
    QVERIFY(grandchild > 0);
    QVERIFY(!isGone(grandchild));
    p.stop();
    QTRY_COMPARE(r.exits.size(), 1);
    QTRY_VERIFY(isGone(grandchild));
}

void TestShardProcess::leftoversDieWhenChildExits()
{
    // The child exits on its own and leaves a helper in its group: an orphaned shard helper
    // would keep its gateway session.
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--grandchild"_s, u"--exit=0"_s}), noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    const qint64 grandchild = r.number(u"GRANDCHILD"_s);
    QVERIFY(grandchild > 0);
    QTRY_VERIFY(isGone(grandchild));
}

void TestShardProcess::destroyingKillsTheGroup()
{
    Recorder r;
    auto p = std::make_unique<ShardProcess>(
        ShardRange {0, 0, 0, 0}, spec({u"--grandchild"_s, u"--pid"_s, u"--run"_s}), noRestart());
    r.attach(p.get());
    p->start();
    QTRY_VERIFY(r.number(u"PID"_s) > 0);
    const qint64 child = r.number(u"PID"_s);
    const qint64 grandchild = r.number(u"GRANDCHILD"_s);
    QVERIFY(grandchild > 0);
    p.reset();
    QVERIFY(isGone(child)); // reaped by the destructor
    QTRY_VERIFY(isGone(grandchild));
}

void TestShardProcess::restartGivesNewPid()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--pid"_s, u"--run"_s}), noRestart());
    r.attach(&p);
    p.start();
    QTRY_VERIFY(r.number(u"PID"_s) > 0); // running, and its SIGTERM handler is in place
    const qint64 first = p.pid();
    QCOMPARE(r.number(u"PID"_s), first);
    p.restart();
    QCOMPARE(p.state(), ProcessState::Stopping);
    QTRY_COMPARE(r.pids.size(), 2);
    QTRY_COMPARE(p.state(), ProcessState::Running);
    QVERIFY(p.pid() != first);
    QCOMPARE(r.pids, QList<qint64>({first, p.pid()}));
    QCOMPARE(r.exits.size(), 1);
    QVERIFY(r.exits.first().requested);
    QCOMPARE(p.restarts(), 1);
    // A restart never shows the process as stopped: it goes straight back to starting.
    QVERIFY(!r.states.contains(ProcessState::Stopped));
    QTRY_COMPARE(r.out.filter(u"PID "_s).size(), 2);
    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::backoffGrowsThenCrashLoop()
{
    RestartPolicy policy;
    policy.autoRestart = true;
    policy.delayMs = 20;
    policy.delayMaxMs = 80;
    policy.maxRestarts = 5;
    policy.windowMs = 60000;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--exit=1"_s}), policy);
    r.attach(&p);
    QElapsedTimer clock;
    clock.start();
    p.start();
    QTRY_COMPARE(p.state(), ProcessState::CrashLoop);
    const qint64 elapsed = clock.elapsed();

    QCOMPARE(r.exits.size(), 6); // five restarts allowed, the sixth crash gives up
    QList<qint64> delays;
    for (const ExitInfo &info : std::as_const(r.exits).first(5)) {
        QVERIFY(info.restartScheduled);
        delays << info.restartInMs;
    }
    QCOMPARE(delays, QList<qint64>({20, 40, 80, 80, 80}));
    QVERIFY(!r.exits.last().restartScheduled);
    QCOMPARE(p.restarts(), 5);
    QVERIFY2(elapsed >= 280, qPrintable(QString::number(elapsed))); // the delays were waited
    QCOMPARE(r.states.count(ProcessState::Restarting), 5);

    // Starting by hand leaves the crash loop with a fresh backoff.
    p.start();
    QTRY_VERIFY(r.exits.size() >= 7);
    QVERIFY(r.exits.at(6).restartScheduled);
    QCOMPARE(r.exits.at(6).restartInMs, 20);
    p.stop();
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::backoffResetsAfterHealthyWindow()
{
    RestartPolicy policy;
    policy.autoRestart = true;
    policy.delayMs = 50;
    policy.delayMaxMs = 10000;
    policy.maxRestarts = 10;
    policy.windowMs = 600;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--exit=1"_s}), policy);
    r.attach(&p);
    // After two quick crashes the third run stays up longer than the window.
    connect(&p, &ShardProcess::exited, this, [&] {
        if (r.exits.size() == 2)
            p.setLaunchSpec(spec({u"--sleep=1000"_s, u"--exit=1"_s}));
    });
    p.start();
    QTRY_COMPARE(r.exits.size(), 3);
    p.stop();
    QCOMPARE(r.exits.at(0).restartInMs, 50);
    QCOMPARE(r.exits.at(1).restartInMs, 100);
    QVERIFY(r.exits.at(0).uptimeMs < 600);
    QVERIFY(r.exits.at(1).uptimeMs < 600);
    QVERIFY(r.exits.at(2).uptimeMs >= 600);
    QVERIFY(r.exits.at(2).restartScheduled);
    QCOMPARE(r.exits.at(2).restartInMs, 50); // 200 without the reset
    QTRY_COMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::stopCancelsScheduledRestart()
{
    RestartPolicy policy;
    policy.autoRestart = true;
    policy.delayMs = 300;
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--exit=1"_s}), policy);
    r.attach(&p);
    QSignalSpy started(&p, &ShardProcess::started);
    p.start();
    QTRY_COMPARE(p.state(), ProcessState::Restarting);
    QCOMPARE(r.exits.size(), 1);
    QVERIFY(r.exits.first().restartScheduled);
    QVERIFY(p.restartAt().isValid());
    QCOMPARE(started.size(), 1);
    p.stop();
    QCOMPARE(p.state(), ProcessState::Stopped);
    QVERIFY(!started.wait(3 * policy.delayMs)); // the scheduled restart must not happen
    QCOMPARE(p.state(), ProcessState::Stopped);
}

void TestShardProcess::pauseDuringBackoffHoldsTheRestart()
{
    // The identify budget guard may pause while a process already waits out its backoff: the
    // restart must not happen, and the exit must say why, so that a resume starts it again.
    RestartPolicy policy;
    policy.delayMs = 400;
    ShardProcess process({0, 0, 0, 0}, spec({u"--exit=1"_s}), policy);
    QSignalSpy started(&process, &ShardProcess::started);
    process.start();
    QTRY_COMPARE(process.state(), ProcessState::Restarting);
    QCOMPARE(started.count(), 1);
    process.setAutoRestartPaused(true);
    QTRY_COMPARE(process.state(), ProcessState::Exited);
    QCOMPARE(started.count(), 1);
    QVERIFY(!process.lastExit().restartScheduled);
    QVERIFY(!process.lastExit().restartHeldBack.isEmpty());
}

void TestShardProcess::secretsAreRedacted()
{
    Recorder r;
    ShardProcess p(
        {0, 0, 0, 0},
        spec({u"--print=token s3cr3t here"_s, u"--stderr=s3cr3ts3cr3t"_s, u"--exit=0"_s}),
        noRestart());
    p.setSecrets({u"s3cr3t"_s});
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    QCOMPARE(r.out, QStringList {u"token [token] here"_s});
    QCOMPARE(r.err, QStringList {u"[token][token]"_s});
    for (const OutputLine &line : p.recentLines().lines())
        QVERIFY(!line.text.contains(u"s3cr3t"_s));
}

void TestShardProcess::recentLinesKeepLastN()
{
    Recorder r;
    ShardProcess p({0, 0, 0, 0}, spec({u"--lines=2500"_s, u"--exit=0"_s}), noRestart());
    r.attach(&p);
    p.start();
    QTRY_COMPARE(r.exits.size(), 1);
    QCOMPARE(r.out.size(), 2500);
    const RecentLines &recent = p.recentLines();
    QCOMPARE(recent.capacity(), 2000);
    const QList<OutputLine> lines = recent.lines();
    QCOMPARE(lines.size(), 2000);
    QCOMPARE(lines.first().text, u"line 501"_s);
    QCOMPARE(lines.last().text, u"line 2500"_s);
    QVERIFY(lines.first().timeMs > 0);
}

void TestShardProcess::recentLinesRing()
{
    RecentLines ring(3);
    QVERIFY(ring.lines().isEmpty());
    for (int i = 1; i <= 5; ++i)
        ring.append({i, i % 2 == 0, QString::number(i)});
    const QList<OutputLine> lines = ring.lines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0).text, u"3"_s);
    QCOMPARE(lines.at(1).text, u"4"_s);
    QVERIFY(lines.at(1).isStderr);
    QCOMPARE(lines.at(2).text, u"5"_s);
    QCOMPARE(lines.at(2).timeMs, 5);
    ring.clear();
    QCOMPARE(ring.size(), 0);
    ring.append({0, false, u"again"_s});
    QCOMPARE(ring.lines().size(), 1);
    QCOMPARE(ring.lines().first().text, u"again"_s);
    QCOMPARE(RecentLines(0).capacity(), 1);
}

QTEST_GUILESS_MAIN(TestShardProcess)
#include "tst_shardprocess.moc"
