// Tests the shard-manager binary without a window: --version, --check (the plan or the problem,
// naming its key), --headless with console echo, and how it ends: SIGTERM stops gracefully, a
// second one kills, SIGKILL to the manager takes the shards along, and the end of stdin is not a
// stop request. Each kind of --events json line has its test in tst_headlessevents.

#include "managerprocess.h"
#include "output/ansi.h"
#include "processutil.h"
#include "testbot.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ProcessUtil::isGone;

class TestHeadless : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void version();
    void usageErrors_data();
    void usageErrors();
    void checkPrintsPlan();
    void checkRejects_data();
    void checkRejects();
    void checkDemoProfile();
    void sigtermStopsChildren();
    void sigtermDuringStaggeredStart();
    void secondSigtermKillsAtOnce();
    void sigkillTakesChildrenAlong();
    void endOfStdinIsNotAStop();
    void stdinLinesAreBroadcast();
    void echoWhenNotSilent();
    void tokenFromEnvIsRedactedInEvents();
    void tokenFromEnvMissingIsAnError();
    void hugePlanStartsAtOnceAndStopsOnSigterm();
    void hugeInvalidPlanIsRefusedCheaply();
    void tokenWithEscapesInsideIsRedactedEverywhere_data();
    void tokenWithEscapesInsideIsRedactedEverywhere();
    void silentEchoesNothing();

private:
    TestBot m_bot;
};

void TestHeadless::initTestCase()
{
    QVERIFY(m_bot.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable());
}

void TestHeadless::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestHeadless::version()
{
    Manager m({u"--version"_s});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    QCOMPARE(m.lines(), QStringList {u"shard-manager "_s + QStringLiteral(SHARDMANAGER_VERSION)});
}

void TestHeadless::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("headless and check") << QStringList {u"--headless"_s, u"--check"_s, u"p.json"_s};
    QTest::newRow("two profiles") << QStringList {u"--check"_s, u"a.json"_s, u"b.json"_s};
    QTest::newRow("no profile") << QStringList {u"--headless"_s};
    QTest::newRow("window option with headless")
        << QStringList {u"--headless"_s, u"--start"_s, u"p.json"_s};
    QTest::newRow("unknown event format")
        << QStringList {u"--headless"_s, u"--events"_s, u"xml"_s, u"p.json"_s};
}

void TestHeadless::usageErrors()
{
    QFETCH(QStringList, arguments);
    Manager m(arguments);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 64);
    QVERIFY(!m.err().isEmpty());
}

void TestHeadless::checkPrintsPlan()
{
    const QString path
        = m_bot.write({{u"maxShards"_s, 10}, {u"shardsPerProcess"_s, 3}, {u"waitTime"_s, 2500}});
    Manager m({u"--check"_s, path});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    const QStringList lines = m.lines();
    QCOMPARE(lines.value(0), path + u": valid"_s);
    QCOMPARE(lines.value(1), u"10 shards in 4 processes"_s);
    // One row per process: index, range, start offset.
    const QList<std::pair<QString, QString>> rows {{u"0 to 2"_s, u"0.0"_s},
                                                   {u"3 to 5"_s, u"2.5"_s},
                                                   {u"6 to 8"_s, u"5.0"_s},
                                                   {u"9 to 9"_s, u"7.5"_s}};
    QCOMPARE(lines.size(), 3 + rows.size());
    for (int i = 0; i < rows.size(); ++i) {
        const QRegularExpression row(u"^\\s*%1\\s+%2\\s+\\+%3 s$"_s.arg(i).arg(
            rows.at(i).first, QRegularExpression::escape(rows.at(i).second)));
        QVERIFY2(row.match(lines.at(3 + i)).hasMatch(), qPrintable(lines.at(3 + i)));
    }
}

void TestHeadless::checkRejects_data()
{
    QTest::addColumn<QJsonObject>("overrides");
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected"); // in the message

    QTest::newRow("maxShards 0") << QJsonObject {{u"maxShards"_s, 0}} << QByteArray()
                                 << u"maxShards"_s;
    QTest::newRow("maxShards foo")
        << QJsonObject {{u"maxShards"_s, u"foo"_s}} << QByteArray() << u"maxShards"_s;
    QTest::newRow("shardsPerProcess > maxShards")
        << QJsonObject {{u"shardsPerProcess"_s, 3}} << QByteArray() << u"shardsPerProcess"_s;
    QTest::newRow("port") << QJsonObject {{u"port"_s, 70000}} << QByteArray() << u"port"_s;
    QTest::newRow("unknown key") << QJsonObject {{u"colour"_s, u"red"_s}} << QByteArray()
                                 << u"colour"_s;
    QTest::newRow("missing file") << QJsonObject {{u"file"_s, u"gone.lua"_s}} << QByteArray()
                                  << u"file"_s;
    QTest::newRow("interpreter") << QJsonObject {{u"interpreter"_s, u"no-such-interpreter-7f3a"_s}}
                                 << QByteArray() << u"interpreter"_s;
    // What would only fail once the run has started.
    QTest::newRow("log file under a regular file")
        << QJsonObject {{u"logFile"_s, u"bot.lua/shards.log"_s}} << QByteArray()
        << u"logFile: cannot create"_s;
    QTest::newRow("argument too long")
        << QJsonObject {{u"arguments"_s, QJsonArray {QString(200000, u'a')}}} << QByteArray()
        << u"arguments: an argument has 200000 bytes"_s;
    QTest::newRow("timestamp too long") << QJsonObject {{u"timestamp"_s, u"%c"_s.repeated(400)}}
                                        << QByteArray() << u"timestamp: makes more than"_s;
    QTest::newRow("invalid JSON") << QJsonObject() << QByteArray("{\n  \"file\": ,\n}")
                                  << u"line 2, column 11"_s;
}

void TestHeadless::checkRejects()
{
    QFETCH(QJsonObject, overrides);
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);

    const QString path = m_bot.write(overrides, raw);
    Manager m({u"--check"_s, path});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QVERIFY(m.process().exitCode() != 0);
    QVERIFY2(m.err().contains(expected), qPrintable(m.err()));
    QVERIFY2(m.err().startsWith(path + u": "_s), qPrintable(m.err()));
    QVERIFY(!m.lines().join(u'\n').contains(u"valid"_s));
}

void TestHeadless::checkDemoProfile()
{
    Manager m({u"--check"_s, QStringLiteral(EXAMPLES_DIR "/demo.json")});
    QVERIFY(m.finish());
    QVERIFY2(m.process().exitCode() == 0, qPrintable(m.err()));
    QVERIFY(m.lines().contains(u"6 shards in 3 processes"_s));
}

void TestHeadless::sigtermStopsChildren()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 3}, {u"interpreterArgs"_s, QJsonArray {u"--pid"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.childPids().size(), 3);
    const QList<qint64> pids = m.childPids();
    for (qint64 pid : pids)
        QVERIFY(!isGone(pid));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    // The manager waited for them: gone already, not just on their way out.
    for (qint64 pid : pids)
        QVERIFY(isGone(pid));
    // Each child got SIGTERM (it prints TERM) rather than a kill.
    QCOMPARE(m.output().count(u"TERM"_s), 3);
}

void TestHeadless::sigtermDuringStaggeredStart()
{
    // The others wait a minute for their turn: a stop must not wait for them.
    const QString path = m_bot.write({{u"maxShards"_s, 3},
                                      {u"waitTime"_s, 60000},
                                      {u"interpreterArgs"_s, QJsonArray {u"--pid"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.childPids().size(), 1);
    m.process().terminate();
    QVERIFY(m.finish(5000));
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    QCOMPARE(m.events(u"started"_s).size(), 1);
    QVERIFY(isGone(m.childPids().first()));
    QVERIFY(m.stateSeen(1, u"stopped"_s));
    QVERIFY(m.stateSeen(2, u"stopped"_s));
}

void TestHeadless::secondSigtermKillsAtOnce()
{
    const QString path = m_bot.write(
        {{u"stopTimeout"_s, 600000},
         {u"interpreterArgs"_s, QJsonArray {u"--ignore-term"_s, u"--pid"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.childPids().size(), 2);
    const QList<qint64> pids = m.childPids();
    m.process().terminate();
    QTRY_VERIFY(m.stateSeen(0, u"stopping"_s) && m.stateSeen(1, u"stopping"_s));
    QVERIFY(m.running()); // the children ignore SIGTERM and the timeout is ten minutes away
    m.process().terminate();
    QVERIFY(m.finish(5000));
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    for (qint64 pid : pids)
        QVERIFY(isGone(pid));
    const QList<QJsonObject> exited = m.events(u"exited"_s);
    QCOMPARE(exited.size(), 2);
    for (const QJsonObject &o : exited)
        QCOMPARE(o.value(u"signal"_s).toString(), u"SIGKILL"_s);
}

void TestHeadless::sigkillTakesChildrenAlong()
{
    // Each child also forks a helper into its group: the guardian must take those along too.
    const QString path = m_bot.write(
        {{u"maxShards"_s, 3},
         {u"interpreterArgs"_s, QJsonArray {u"--grandchild"_s, u"--pid"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.childPids().size(), 3);
    QList<qint64> pids = m.childPids();
    QList<qint64> helpers;
    for (const QString &line : m.output()) {
        if (line.startsWith(u"GRANDCHILD "_s))
            helpers << line.mid(11).toLongLong();
    }
    QCOMPARE(helpers.size(), 3);
    for (qint64 pid : pids + helpers)
        QVERIFY(!isGone(pid));
    m.process().kill();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::CrashExit);
    for (qint64 pid : pids)
        QTRY_VERIFY(isGone(pid));
    for (qint64 pid : helpers)
        QTRY_VERIFY2(isGone(pid), qPrintable(u"helper %1 outlived the manager"_s.arg(pid)));
}

void TestHeadless::endOfStdinIsNotAStop()
{
    // LATER comes 300 ms after start: long after the manager has seen the end of /dev/null.
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=READY"_s, u"--sleep=300"_s, u"--print=LATER"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path}, true);
    QTRY_VERIFY(m.output(0).contains(u"LATER"_s));
    QVERIFY(m.running());
    QVERIFY(!m.stateSeen(0, u"stopping"_s));
    QVERIFY(!m.output(0).contains(u"TERM"_s));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    QVERIFY(m.output(0).contains(u"TERM"_s));
}

void TestHeadless::stdinLinesAreBroadcast()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 2},
         {u"interpreterArgs"_s,
          QJsonArray {u"--ipc-connect"_s, u"--ipc-send=connected"_s, u"--ipc-echo"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    // Both children have connected (and said so over IPC) before anything is typed.
    QTRY_COMPARE(m.events(u"ipcMessage"_s).size(), 2);
    QList<int> senders;
    for (const QJsonObject &o : m.events(u"ipcMessage"_s)) {
        QCOMPARE(o.value(u"message"_s).toString(), u"connected"_s);
        QVERIFY(o.value(u"connection"_s).isDouble());
        senders << o.value(u"process"_s).toInt(-1);
    }
    std::sort(senders.begin(), senders.end());
    QCOMPARE(senders, QList<int>({0, 1}));

    m.process().write("reload config\n\nsecond line\n");
    for (int process : {0, 1})
        QTRY_COMPARE(m.output(process),
                     QStringList({u"IPC reload config"_s, u"IPC second line"_s}));
    m.process().closeWriteChannel(); // end of input: still running
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
}

void TestHeadless::tokenFromEnvIsRedactedInEvents()
{
    const QByteArray token = "OTk5.headless-secret.AbCd";
    const QString path
        = m_bot.write({{u"maxShards"_s, 2},
                       {u"tokenEnv"_s, u"BOT_TOKEN"_s},
                       {u"discordApi"_s, u"http://127.0.0.1:1/api"_s},
                       {u"interpreterArgs"_s,
                        QJsonArray {u"--print=token is ${BOT_TOKEN}"_s, u"--stderr=${BOT_TOKEN}"_s,
                                    u"--ipc-connect"_s, u"--ipc-send=ipc ${BOT_TOKEN}"_s,
                                    u"--print-env=MY_SECRET"_s, u"--run"_s}}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MY_SECRET"_s, QString::fromLatin1(token));
    Manager m(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s, u"MY_SECRET"_s, path},
        false, env);
    QTRY_COMPARE(m.output().count(u"token is [token]"_s), 2);
    QTRY_COMPARE(m.events(u"ipcMessage"_s).size(), 2);
    QTRY_COMPARE(m.events(u"errorOutput"_s).size(), 2);
    // The variable the manager read is not passed on under its own name.
    QCOMPARE(m.output().count(u"ENV MY_SECRET unset"_s), 2);
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    const QStringList all = m.lines();
    QVERIFY(!all.join(u'\n').contains(QString::fromLatin1(token)));
    QVERIFY(!m.err().contains(QString::fromLatin1(token)));
    for (const QJsonObject &o : m.events(u"ipcMessage"_s))
        QCOMPARE(o.value(u"message"_s).toString(), u"ipc [token]"_s);
    for (const QJsonObject &o : m.events(u"errorOutput"_s))
        QCOMPARE(o.value(u"line"_s).toString(), u"[token]"_s);
}

void TestHeadless::tokenFromEnvMissingIsAnError()
{
    const QString path = m_bot.write({{u"maxShards"_s, 1}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"NOT_SET_ANYWHERE"_s);
    Manager m({u"--headless"_s, u"--token-from-env"_s, u"NOT_SET_ANYWHERE"_s, path}, false, env);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 2);
    QVERIFY2(m.err().contains(u"NOT_SET_ANYWHERE"_s), qPrintable(m.err()));
}

// maxShards 100000 is allowed: the processes that wait for their turn must cost next to nothing,
// the first must start at once, and SIGTERM must be heard at once. (bench/bigplan.py measures
// the time and memory; the bounds here are wide, only to catch a plan built at full cost.)
void TestHeadless::hugePlanStartsAtOnceAndStopsOnSigterm()
{
    const QString path
        = m_bot.write({{u"maxShards"_s, 100000}, {u"waitTime"_s, 600000}, {u"silent"_s, true}});
    Manager m({u"--headless"_s, path}, true);
    QTRY_VERIFY_WITH_TIMEOUT(m.err().contains(u"process 0 (shards 0 to 0) started"_s), 30000);
    const qint64 peakKiB = ProcessUtil::statusKiB(m.process().processId(), "VmHWM");
    QVERIFY2(peakKiB > 0 && peakKiB < 1500 * 1024, qPrintable(u"peak %1 KiB"_s.arg(peakKiB)));
    m.process().terminate();
    QVERIFY(m.finish(30000));
    QCOMPARE(m.process().exitCode(), 0);
    QVERIFY(m.err().contains(u"process 0 (shards 0 to 0) stopped"_s));
    QVERIFY(!m.err().contains(u"process 1 (shards 1 to 1) started"_s));
}

// A profile that cannot run is refused before the engine builds its 40,000 processes.
void TestHeadless::hugeInvalidPlanIsRefusedCheaply()
{
    const QString path = m_bot.write({{u"maxShards"_s, 40000}, {u"file"_s, u"missing.lua"_s}});
    // python3 reports the peak memory of the finished manager (the test cannot: QProcess reaps it).
    QProcess run;
    run.start(u"python3"_s,
              {u"-c"_s,
               u"import resource, subprocess, sys\n"
               "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
               "sys.stdout.write('%d %d\\n' % (r.returncode, "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
               "sys.stdout.write(r.stderr.decode())"_s,
               QStringLiteral(SHARDMANAGER_PATH), u"--headless"_s, path});
    QVERIFY(run.waitForFinished(60000));
    const QStringList out = QString::fromUtf8(run.readAllStandardOutput()).split(u'\n');
    const QStringList head = out.value(0).split(u' ');
    QCOMPARE(head.value(0), u"2"_s);
    QVERIFY2(head.value(1).toLongLong() < 200 * 1024, qPrintable(out.value(0)));
    QVERIFY(out.join(u'\n').contains(u"file"_s));
}

void TestHeadless::tokenWithEscapesInsideIsRedactedEverywhere_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("log file and echo") << false;
    QTest::newRow("log file and JSON events") << true;
}

// The child colours the middle of its token, and prints another token in parts more than the
// partial-line delay apart: no sink may show it, however the child cut it up.
void TestHeadless::tokenWithEscapesInsideIsRedactedEverywhere()
{
    QFETCH(bool, json);
    const QString token = u"MTAxNjQ4.GhJkLm.escaped-token_value42"_s;
    const QString log = m_bot.filePath(u"escaped-%1.log"_s.arg(json));
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1},
         {u"tokenEnv"_s, u"BOT_TOKEN"_s},
         {u"silent"_s, false},
         {u"logFile"_s, log},
         {u"discordApi"_s, u"http://127.0.0.1:1/api"_s},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=a ${BOT_TOKEN:0:10}${ESC}[0m${BOT_TOKEN:10}"_s,
                      u"--stderr=b ${ESC}[31m${BOT_TOKEN:0:5}${ESC}(B${BOT_TOKEN:5}${ESC}[m"_s,
                      u"--partial=c ${BOT_TOKEN:0:12}"_s, u"--sleep=400"_s,
                      u"--partial=${BOT_TOKEN:12:3}${ESC}[1m"_s, u"--sleep=400"_s,
                      u"--print=${BOT_TOKEN:15} done"_s, u"--print=end"_s, u"--run"_s}}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MY_SECRET"_s, token);
    env.insert(u"ESC"_s, u"\x1b"_s);
    QStringList args {u"--headless"_s, u"--token-from-env"_s, u"MY_SECRET"_s, path};
    if (json)
        args = QStringList {u"--events"_s, u"json"_s} + args;
    Manager m(args, false, env);
    if (json)
        QTRY_VERIFY(m.output().contains(u"end"_s));
    else
        QTRY_VERIFY(m.lines().contains(u"Shards 0 to 0 | end"_s));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString logText = QString::fromUtf8(file.readAll());
    const QString out = m.lines().join(u'\n');
    // Whatever was cut, with or without the escapes, the token is not there.
    for (const QString &text : {logText, out, m.err()}) {
        QVERIFY(!text.contains(token));
        QVERIFY(!Ansi::strip(text).contains(token));
    }
    QCOMPARE(logText.count(u"[token]"_s), 3);
    QVERIFY(logText.contains(u"| a [token]\n"_s));
    QVERIFY(logText.contains(u"| stderr | b [token]\n"_s));
    QVERIFY(logText.contains(u"[token] done\n"_s));
    if (json) {
        QCOMPARE(m.output().count(u"a [token]"_s), 1);
        for (const QJsonObject &o : m.events())
            QVERIFY(!Ansi::visibleText(o.value(u"line"_s).toString()).contains(token));
    } else {
        QVERIFY(m.lines().contains(u"Shards 0 to 0 | a [token]"_s));
    }
}

void TestHeadless::echoWhenNotSilent()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 4},
         {u"shardsPerProcess"_s, 2},
         {u"silent"_s, false},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=hello"_s, u"--stderr=oops"_s, u"--print=\x1b[31mred\x1b[0m"_s,
                      u"--print=READY"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, path});
    QTRY_VERIFY(m.lines().contains(u"Shards 0 to 1 | READY"_s)
                && m.lines().contains(u"Shards 2 to 3 | READY"_s));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    const QStringList lines = m.lines();
    for (const QString &range : {u"0 to 1"_s, u"2 to 3"_s}) {
        QVERIFY2(lines.contains(u"Shards %1 | hello"_s.arg(range)), qPrintable(lines.join(u'\n')));
        QVERIFY2(lines.contains(u"Shards %1 | stderr | oops"_s.arg(range)),
                 qPrintable(lines.join(u'\n')));
        // stdout is not a terminal here: colours are stripped.
        QVERIFY2(lines.contains(u"Shards %1 | red"_s.arg(range)), qPrintable(lines.join(u'\n')));
        QVERIFY(lines.contains(u"Shards %1 | TERM"_s.arg(range)));
    }
    // Status goes to stderr, never mixed into the echo.
    QVERIFY2(m.err().contains(u"started, pid"_s), qPrintable(m.err()));
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(u"Shards "_s), qPrintable(line));
}

void TestHeadless::silentEchoesNothing()
{
    const QString path
        = m_bot.write({{u"maxShards"_s, 1},
                       {u"silent"_s, true},
                       {u"interpreterArgs"_s, QJsonArray {u"--print=hello"_s, u"--exit=0"_s}}});
    Manager m({u"--headless"_s, path});
    QTRY_VERIFY2(m.err().contains(u"exit code 0"_s), qPrintable(m.err()));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    QVERIFY2(m.lines().isEmpty(), qPrintable(m.lines().join(u'\n')));
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
