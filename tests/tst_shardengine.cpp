// Tests ShardEngine with real fakeshard children: the child contract (argv, environment, token),
// staggered starts, stop/restart of all, rolling restarts, the start queue and the log file.

#include "engine/shardengine.h"
#include "enginerecorder.h"
#include "processutil.h"
#include "testbot.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// Our own children whose command line holds arg (the guardian runs as `shard-manager --guardian`).
int childrenWith(const QByteArray &arg)
{
    int found = 0;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        QFile stat(u"/proc/%1/stat"_s.arg(entry));
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(entry));
        if (entry.toLongLong() <= 0 || !stat.open(QIODevice::ReadOnly)
            || !cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.value(1).toLongLong() == getpid() && cmdline.readAll().split('\0').contains(arg))
            ++found;
    }
    return found;
}

QString describe(const QList<ProfileError> &errors)
{
    QStringList lines;
    for (const ProfileError &e : errors)
        lines << e.toString();
    return lines.join(u"; "_s);
}

} // namespace

class TestShardEngine : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void argvAndEnvironment();
    void tokenGoesToTokenEnvOnly();
    void customTokenEnv();
    void workingDirectoryDefaultsToBotFolder();
    void staggeredStart();
    void stopAllEmitsAllStopped();
    void stopAllCancelsQueuedStarts();
    void stopAllRightAfterStartAll();
    void stopProcessWaitingInQueue();
    void restartAll();
    void restartProcessRestartsOnlyThatOne();
    void rollingRestartOneAtATime();
    void killAllDoesNotWait();
    void secondStopAllKills();
    void guardianIsWhatMainSays();
    void logFileReceivesEveryProcess();
    void autoRestartThroughEngine();
    void runStatusCountsEveryStateChange();
    void invalidProfileDoesNotStart();
    void profileLockedWhileRunning();

private:
    // A profile running fakeshard with the given behaviours, saved and loaded like a user's.
    Profile profile(const QStringList &behaviours, const QJsonObject &overrides = {});

    TestBot m_bot;
};

void TestShardEngine::initTestCase()
{
    QVERIFY(m_bot.isValid());
}

void TestShardEngine::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestShardEngine::cleanup()
{
    qunsetenv("DISCORD_TOKEN");
}

Profile TestShardEngine::profile(const QStringList &behaviours, const QJsonObject &overrides)
{
    QJsonObject o {{u"interpreterArgs"_s, QJsonArray::fromStringList(behaviours)},
                   {u"maxShards"_s, 3},
                   {u"restartDelay"_s, 50},
                   {u"restartDelayMax"_s, 400}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        o.insert(it.key(), it.value());
    QList<ProfileError> errors;
    const Profile p = Profile::fromFile(m_bot.write(o), &errors);
    if (!errors.isEmpty())
        qFatal("test profile does not parse: %s", qPrintable(describe(errors)));
    return p;
}

void TestShardEngine::argvAndEnvironment()
{
    qputenv("DISCORD_TOKEN", "inherited-from-the-manager");
    const QStringList behaviours {
        u"--print-args"_s,
        u"--print-env=SHARDER_PORT,SHARDER_FIRST_SHARD,SHARDER_LAST_SHARD,SHARDER_SHARD_COUNT,"
        "SHARDER_PROCESS,SHARDER_IPC_TOKEN,DISCORD_TOKEN"_s,
        u"--exit=0"_s};
    ShardEngine engine;
    QList<ProfileError> errors;
    QVERIFY2(
        engine.setProfile(profile(behaviours,
                                  {{u"maxShards"_s, 7},
                                   {u"shardsPerProcess"_s, 3},
                                   {u"port"_s, 4567},
                                   {u"arguments"_s, QJsonArray {u"--prod"_s, u"two words"_s}}}),
                          &errors),
        qPrintable(describe(errors)));
    QCOMPARE(engine.processCount(), 3);
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QString error;
    QVERIFY2(engine.startAll(&error), qPrintable(error));
    QTRY_COMPARE(stopped.size(), 1);

    const QList<std::pair<int, int>> ranges {{0, 2}, {3, 5}, {6, 6}};
    QStringList ipcTokens;
    for (int i = 0; i < 3; ++i) {
        const auto [first, last] = ranges.at(i);
        QStringList expected {QStringLiteral(FAKESHARD_PATH)};
        expected << behaviours << m_bot.filePath(u"bot.lua"_s) << u"4567"_s
                 << QString::number(first) << QString::number(last) << u"7"_s << u"--prod"_s
                 << u"two words"_s;
        QCOMPARE(r.argv(i), expected);
        QCOMPARE(r.env(i, u"SHARDER_PORT"_s), u"4567"_s);
        QCOMPARE(r.env(i, u"SHARDER_FIRST_SHARD"_s), QString::number(first));
        QCOMPARE(r.env(i, u"SHARDER_LAST_SHARD"_s), QString::number(last));
        QCOMPARE(r.env(i, u"SHARDER_SHARD_COUNT"_s), u"7"_s);
        QCOMPARE(r.env(i, u"SHARDER_PROCESS"_s), QString::number(i));
        // No token stored: the manager's own must not reach the children.
        QCOMPARE(r.env(i, u"DISCORD_TOKEN"_s), u"unset"_s);
        const QString ipcToken = r.env(i, u"SHARDER_IPC_TOKEN"_s);
        QVERIFY2(QRegularExpression(u"^[0-9a-f]{16,}$"_s).match(ipcToken).hasMatch(),
                 qPrintable(ipcToken));
        ipcTokens << ipcToken;
    }
    ipcTokens.removeDuplicates();
    QCOMPARE(ipcTokens.size(), 3); // one secret per process
}

void TestShardEngine::tokenGoesToTokenEnvOnly()
{
    const QString logPath = m_bot.filePath(u"token.log"_s);
    const QStringList behaviours {u"--print-args"_s, u"--print-env=DISCORD_TOKEN,BOT_TOKEN"_s,
                                  u"--exit=0"_s};
    ShardEngine engine;
    engine.setToken(u"tok-123.secret"_s);
    QVERIFY(engine.hasToken());
    QVERIFY(engine.setProfile(profile(behaviours, {{u"maxShards"_s, 1}, {u"logFile"_s, logPath}})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(stopped.size(), 1);

    // The child got exactly the token (the whole value was replaced) under tokenEnv only.
    QCOMPARE(r.env(0, u"DISCORD_TOKEN"_s), u"[token]"_s);
    QCOMPARE(r.env(0, u"BOT_TOKEN"_s), u"unset"_s);
    // Never in argv.
    QStringList expectedArgv {QStringLiteral(FAKESHARD_PATH)};
    expectedArgv << behaviours << m_bot.filePath(u"bot.lua"_s)
                 << QString::number(engine.profile().port) << u"0"_s << u"0"_s << u"1"_s;
    QCOMPARE(r.argv(0), expectedArgv);

    // Nor in a file the manager writes.
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY(text.contains("| ENV DISCORD_TOKEN=[token]\n"));
    QVERIFY(!text.contains("tok-123"));
}

void TestShardEngine::customTokenEnv()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--print-env=DISCORD_TOKEN,BOT_TOKEN"_s, u"--exit=0"_s},
                                      {{u"maxShards"_s, 1}, {u"tokenEnv"_s, u"BOT_TOKEN"_s}})));
    engine.setToken(u"abc-def"_s); // after setProfile: the processes pick it up
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(r.env(0, u"BOT_TOKEN"_s), u"[token]"_s);
    QCOMPARE(r.env(0, u"DISCORD_TOKEN"_s), u"unset"_s);
}

void TestShardEngine::workingDirectoryDefaultsToBotFolder()
{
    QVERIFY(QDir(m_bot.path()).mkpath(u"botdir"_s));
    QFile bot(m_bot.filePath(u"botdir/bot.lua"_s));
    QVERIFY(bot.open(QIODevice::WriteOnly));
    bot.close();
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--print=READY"_s, u"--run"_s},
                                      {{u"maxShards"_s, 1}, {u"file"_s, u"botdir/bot.lua"_s}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_VERIFY(r.out.at(0).contains(u"READY"_s));
    const qint64 pid = engine.process(0)->pid();
    QCOMPARE(QFileInfo(u"/proc/%1/cwd"_s.arg(pid)).symLinkTarget(),
             QDir(m_bot.filePath(u"botdir"_s)).canonicalPath());
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
}

void TestShardEngine::staggeredStart()
{
    constexpr int waitTime = 150;
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"waitTime"_s, waitTime}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QVERIFY(engine.isSessionOpen());
    QVERIFY(engine.isBusy());
    // Only the first starts now; the others wait their turn.
    QCOMPARE(engine.process(0)->state(), ProcessState::Starting);
    QCOMPARE(engine.process(1)->state(), ProcessState::Pending);
    QCOMPARE(engine.process(2)->state(), ProcessState::Pending);
    QTRY_COMPARE(engine.status().running, 3);

    QCOMPARE(r.launchedAtMs.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(r.launchedAtMs.at(i).first, i);
    for (int i = 1; i < 3; ++i) {
        const qint64 gap = r.launchedAtMs.at(i).second - r.launchedAtMs.at(i - 1).second;
        // A coarse timer may fire 5 % early; a busy machine only makes it later.
        QVERIFY2(gap >= waitTime * 95 / 100, qPrintable(u"gap %1 ms"_s.arg(gap)));
    }

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
}

void TestShardEngine::stopAllEmitsAllStopped()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--print=READY"_s, u"--run"_s})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 3);
    QTRY_VERIFY(std::all_of(r.out.begin(), r.out.end(),
                            [](const QStringList &lines) { return lines.contains(u"READY"_s); }));
    QCOMPARE(stopped.size(), 0);

    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    QVERIFY(!engine.isSessionOpen());
    QVERIFY(!engine.isBusy());
    QCOMPARE(r.exits.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(engine.process(i)->state(), ProcessState::Stopped);
        QVERIFY(r.exits.at(i).second.requested);
        QCOMPARE(r.exits.at(i).second.code, 0);
        QCOMPARE(r.out.at(i).last(), u"TERM"_s); // a graceful stop, not a kill
    }
}

void TestShardEngine::stopAllCancelsQueuedStarts()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"waitTime"_s, 60000}})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 1);
    engine.stopAll();
    QCOMPARE(engine.process(1)->state(), ProcessState::Stopped);
    QCOMPARE(engine.process(2)->state(), ProcessState::Stopped);
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(r.startedProcesses(), QList<int> {0});
    QVERIFY(!engine.isBusy());
}

void TestShardEngine::stopAllRightAfterStartAll()
{
    // Stop all clicked before the first process reported it had started: nothing may restart.
    ShardEngine engine;
    QVERIFY(engine.setProfile(
        profile({u"--run"_s}, {{u"autoRestart"_s, true}, {u"restartDelay"_s, 10}})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QCOMPARE(engine.process(0)->state(), ProcessState::Starting);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(engine.process(i)->state(), ProcessState::Stopped);
    QCOMPARE(r.exits.size(), 1);
    QVERIFY(r.exits.first().second.requested);
    for (const auto &[process, state] : std::as_const(r.states))
        QVERIFY2(state != ProcessState::Restarting && state != ProcessState::Running,
                 qPrintable(processStateName(state)));
    QVERIFY(!engine.isBusy());
}

void TestShardEngine::stopProcessWaitingInQueue()
{
    constexpr int waitTime = 300;
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"waitTime"_s, waitTime}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QCOMPARE(engine.process(1)->state(), ProcessState::Pending);
    engine.stopProcess(1);
    QCOMPARE(engine.process(1)->state(), ProcessState::Stopped);
    QVERIFY(engine.isSessionOpen());

    // Process 2 still starts (in process 1's slot), process 1 never does.
    QTRY_COMPARE(engine.process(2)->state(), ProcessState::Running);
    QCOMPARE(r.startedProcesses(), QList<int>({0, 2}));
    QCOMPARE(engine.process(1)->state(), ProcessState::Stopped);
    QCOMPARE(r.launchedAtMs.size(), 2);
    QCOMPARE(r.launchedAtMs.at(1).first, 2);
    QVERIFY(r.launchedAtMs.at(1).second - r.launchedAtMs.at(0).second >= waitTime * 95 / 100);

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(r.startedProcesses(), QList<int>({0, 2}));
}

void TestShardEngine::restartAll()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 3);
    QList<qint64> before;
    for (int i = 0; i < 3; ++i)
        before << engine.process(i)->pid();

    engine.restartAll();
    QTRY_COMPARE(r.started.size(), 6);
    QTRY_COMPARE(engine.status().running, 3);
    QCOMPARE(stopped.size(), 1); // a full stop, then a fresh session
    QVERIFY(engine.isSessionOpen());
    for (int i = 0; i < 3; ++i) {
        QVERIFY(!before.contains(engine.process(i)->pid()));
        QVERIFY(ProcessUtil::isGone(before.at(i)));
    }
    // With waitTime 0 the started notifications may arrive in any order.
    QList<int> startedProcesses = r.startedProcesses();
    std::sort(startedProcesses.begin(), startedProcesses.end());
    QCOMPARE(startedProcesses, QList<int>({0, 0, 1, 1, 2, 2}));

    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 2);
}

void TestShardEngine::restartProcessRestartsOnlyThatOne()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 3);
    const qint64 pid0 = engine.process(0)->pid();
    const qint64 pid1 = engine.process(1)->pid();
    const qint64 pid2 = engine.process(2)->pid();

    engine.restartProcess(1);
    QTRY_COMPARE(r.started.size(), 4);
    QTRY_COMPARE(engine.status().running, 3);
    QCOMPARE(r.started.last().first, 1);
    QVERIFY(engine.process(1)->pid() != pid1);
    QCOMPARE(engine.process(0)->pid(), pid0);
    QCOMPARE(engine.process(2)->pid(), pid2);

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
}

void TestShardEngine::rollingRestartOneAtATime()
{
    constexpr int count = 3;
    ShardEngine engine;
    QVERIFY(
        engine.setProfile(profile({u"--run"_s}, {{u"maxShards"_s, count}, {u"waitTime"_s, 50}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, count);
    QList<qint64> before;
    for (int i = 0; i < count; ++i)
        before << engine.process(i)->pid();

    // Track every state from here on: at no moment may two processes be down.
    QList<ProcessState> states(count, ProcessState::Running);
    int maxDown = 0;
    QList<int> stopOrder;
    connect(&engine, &ShardEngine::processStateChanged, this, [&](int process, ProcessState state) {
        states[process] = state;
        maxDown = std::max<int>(maxDown,
                                int(std::count_if(states.begin(), states.end(), [](ProcessState s) {
                                    return s != ProcessState::Running;
                                })));
        if (state == ProcessState::Stopping)
            stopOrder << process;
    });

    engine.rollingRestart();
    QVERIFY(engine.status().rollingRestart);
    QTRY_VERIFY_WITH_TIMEOUT(r.notices.contains(u"rolling restart finished"_s), 10000);
    QVERIFY(!engine.status().rollingRestart);

    QCOMPARE(maxDown, 1);
    QCOMPARE(stopOrder, QList<int>({0, 1, 2}));
    QCOMPARE(engine.status().running, count);
    QCOMPARE(r.started.size(), 2 * count);
    for (int i = 0; i < count; ++i) {
        QVERIFY(!before.contains(engine.process(i)->pid()));
        QCOMPARE(engine.process(i)->restarts(), 1);
    }

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
}

void TestShardEngine::killAllDoesNotWait()
{
    ShardEngine engine;
    QVERIFY(
        engine.setProfile(profile({u"--ignore-term"_s, u"--run"_s}, {{u"stopTimeout"_s, 600000}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_VERIFY(std::all_of(r.out.begin(), r.out.end(), [](const QStringList &lines) {
        return lines.contains(u"IGNORING TERM"_s);
    }));
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.killAll();
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(r.exits.size(), 3);
    for (const auto &[process, info] : std::as_const(r.exits)) {
        QVERIFY(info.crashed);
        QCOMPARE(info.signal, 9);
        QCOMPARE(engine.process(process)->state(), ProcessState::Stopped);
    }
}

void TestShardEngine::secondStopAllKills()
{
    // Stop All pressed twice, a second Ctrl+C, closing the window twice: all call stopAll again.
    ShardEngine engine;
    QVERIFY(
        engine.setProfile(profile({u"--ignore-term"_s, u"--run"_s}, {{u"stopTimeout"_s, 600000}})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_VERIFY(std::all_of(r.out.begin(), r.out.end(), [](const QStringList &lines) {
        return lines.contains(u"IGNORING TERM"_s);
    }));
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    for (int i = 0; i < engine.processCount(); ++i)
        QCOMPARE(engine.process(i)->state(), ProcessState::Stopping);
    QVERIFY(engine.status().busy);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1); // well before stopTimeout
    QCOMPARE(r.exits.size(), 3);
    for (const auto &[process, info] : std::as_const(r.exits)) {
        QVERIFY(info.crashed);
        QCOMPARE(info.signal, 9);
    }
}

void TestShardEngine::guardianIsWhatMainSays()
{
    const QByteArray role = "--guardian";
    {
        // Nobody said how to run a guardian (a test, a library user): the engine runs none.
        ShardEngine engine;
        QVERIFY(engine.setProfile(profile({u"--run"_s})));
        Recorder r(&engine);
        QVERIFY(engine.startAll());
        QTRY_COMPARE(engine.status().running, 3);
        QCOMPARE(childrenWith(role), 0);
        QVERIFY(!r.notices.join(u'\n').contains(u"guardian"_s));
        engine.killAll();
        QTRY_VERIFY(!engine.isBusy());
    }
    QVERIFY2(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable(),
             "build shard-manager first: it is the guardian");
    {
        ShardEngine engine;
        engine.setGuardian({QStringLiteral(SHARDMANAGER_PATH), {QString::fromLatin1(role)}});
        QVERIFY(engine.setProfile(profile({u"--run"_s})));
        Recorder r(&engine);
        QVERIFY(engine.startAll());
        QCOMPARE(childrenWith(role), 1);
        QVERIFY(!r.notices.join(u'\n').contains(u"guardian"_s));
        engine.killAll();
        QTRY_VERIFY(!engine.isBusy());
    }
    QTRY_COMPARE(childrenWith(role), 0); // it ended with its engine
    {
        ShardEngine engine;
        engine.setGuardian({m_bot.filePath(u"no-such-manager"_s), {QString::fromLatin1(role)}});
        QVERIFY(engine.setProfile(profile({u"--run"_s})));
        Recorder r(&engine);
        QVERIFY(engine.startAll());
        QVERIFY(r.notices.join(u'\n').contains(u"no guardian process"_s));
        engine.killAll();
        QTRY_VERIFY(!engine.isBusy());
    }
}

void TestShardEngine::logFileReceivesEveryProcess()
{
    const QString logPath = m_bot.filePath(u"logs/shards.log"_s);
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--print=hello"_s, u"--stderr=warn"_s, u"--exit=0"_s},
                                      {{u"maxShards"_s, 4},
                                       {u"shardsPerProcess"_s, 2},
                                       {u"logFile"_s, u"logs/shards.log"_s},
                                       {u"timestamp"_s, u"!%Y"_s}})));
    QCOMPARE(engine.status().logFile, logPath);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(stopped.size(), 1);

    // Closed (and so flushed) with the session: no waiting for the flush timer.
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(log.readAll()).split(u'\n');
    QCOMPARE(lines.takeLast(), QString());
    lines.sort();
    const QString year = QString::number(QDateTime::currentDateTimeUtc().date().year());
    QStringList expected {
        year + u" | Shards 0 to 1 | hello"_s, year + u" | Shards 0 to 1 | stderr | warn"_s,
        year + u" | Shards 2 to 3 | hello"_s, year + u" | Shards 2 to 3 | stderr | warn"_s};
    expected.sort();
    QCOMPARE(lines, expected);
}

void TestShardEngine::autoRestartThroughEngine()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--exit=2"_s},
                                      {{u"maxShards"_s, 1},
                                       {u"autoRestart"_s, true},
                                       {u"restartDelay"_s, 30},
                                       {u"restartDelayMax"_s, 30},
                                       {u"maxRestarts"_s, 2}})));
    Recorder r(&engine);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.process(0)->state(), ProcessState::CrashLoop);
    QCOMPARE(r.exits.size(), 3);
    QVERIFY(r.exits.at(0).second.restartScheduled);
    QCOMPARE(r.exits.at(0).second.restartInMs, 30);
    QCOMPARE(r.exits.at(0).second.code, 2);
    QVERIFY(!r.exits.at(2).second.restartScheduled);
    // A crash loop is not busy: the session ends.
    QTRY_COMPARE(stopped.size(), 1);
}

void TestShardEngine::runStatusCountsEveryStateChange()
{
    // The engine counts running and busy processes as their states change instead of walking
    // them: at every change, and after, the counts must be what the processes say.
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--sleep=150"_s, u"--exit=2"_s},
                                      {{u"maxShards"_s, 4},
                                       {u"autoRestart"_s, true},
                                       {u"restartDelay"_s, 30},
                                       {u"restartDelayMax"_s, 30},
                                       {u"maxRestarts"_s, 1}})));
    int changes = 0;
    QStringList wrong;
    const auto check = [&engine, &wrong](const QString &when) {
        int running = 0;
        bool busy = false;
        for (int i = 0; i < engine.processCount(); ++i) {
            const ProcessState s = engine.process(i)->state();
            running += s == ProcessState::Running ? 1 : 0;
            busy |= engine.process(i)->isActive() || s == ProcessState::Restarting;
        }
        const RunStatus status = engine.status();
        // Busy may also mean processes waiting in the start queue, which no process shows.
        if (status.running != running || (busy && !status.busy))
            wrong << u"%1: %2 running counted, %3 seen; busy %4, seen %5"_s.arg(when)
                         .arg(status.running)
                         .arg(running)
                         .arg(status.busy)
                         .arg(busy);
    };
    connect(&engine, &ShardEngine::processStateChanged, this, [&](int process, ProcessState state) {
        ++changes;
        check(u"process %1 %2"_s.arg(process).arg(processStateName(state)));
    });
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    QVERIFY(engine.startAll());
    // Each one starts, runs, crashes, restarts once, crashes again: a crash loop ends the session.
    QTRY_COMPARE(stopped.size(), 1);
    QVERIFY(changes >= 4 * 5);
    check(u"after the crash loops"_s);
    QVERIFY(!engine.isBusy());

    // Again, with a stop and a kill in the middle of it.
    QVERIFY(engine.setProfile(profile({u"--ignore-term"_s, u"--run"_s}, {{u"maxShards"_s, 4}})));
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 4);
    engine.restartProcess(2);
    engine.stopProcess(1);
    engine.stopAll();
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 2);
    check(u"after the kill"_s);
    QVERIFY(!engine.isBusy());
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestShardEngine::invalidProfileDoesNotStart()
{
    ShardEngine engine;
    QList<ProfileError> errors;
    QVERIFY(!engine.setProfile(profile({u"--run"_s}, {{u"file"_s, u"missing.lua"_s}}), &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().key, u"file"_s);
    QCOMPARE(engine.processCount(), 3); // the plan is still shown
    QString error;
    QVERIFY(!engine.startAll(&error));
    QVERIFY2(error.startsWith(u"file: "_s), qPrintable(error));
    QVERIFY(!engine.isSessionOpen());
    QCOMPARE(engine.process(0)->state(), ProcessState::Pending);
}

void TestShardEngine::profileLockedWhileRunning()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"maxShards"_s, 1}})));
    QSignalSpy rebuilt(&engine, &ShardEngine::processesRebuilt);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 1);
    QList<ProfileError> errors;
    QVERIFY(!engine.setProfile(profile({u"--run"_s}, {{u"maxShards"_s, 2}}), &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(engine.processCount(), 1);
    QCOMPARE(rebuilt.size(), 0);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"maxShards"_s, 2}})));
    QCOMPARE(engine.processCount(), 2);
}

QTEST_GUILESS_MAIN(TestShardEngine)
#include "tst_shardengine.moc"
