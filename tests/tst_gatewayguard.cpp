// The engine with Discord's gateway information from a local fake API: maxShards "auto", starts
// paced by max_concurrency, the identify budget guard stopping a crash loop before the budget is
// spent, fatal close codes stopping restarts, and the token never leaving the manager.

#include "enginerecorder.h"
#include "fakediscord.h"
#include "testbot.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestGatewayGuard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void autoShardsAsksDiscord();
    void autoShardsWithoutTokenIsRefused();
    void autoShardsStartFailsWhenDiscordDoesNotSay();
    void startsArePacedByConcurrency();
    void budgetGuardStopsACrashLoop();
    void fatalCloseCodeStopsRestarts();
    void shardStatesFollowTheLog();
    void tokenNeverInCmdlineLogOrEvents();

private:
    Profile profile(const QStringList &behaviours, int maxShards, const QString &api);

    TestBot m_bot;
};

void TestGatewayGuard::initTestCase()
{
    QVERIFY(m_bot.isValid());
}

void TestGatewayGuard::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

Profile TestGatewayGuard::profile(const QStringList &behaviours, int maxShards, const QString &api)
{
    Profile p = m_bot.profile(behaviours, maxShards);
    p.discordApi = api;
    return p;
}

void TestGatewayGuard::autoShardsAsksDiscord()
{
    FakeDiscord discord;
    discord.body = FakeDiscord::gatewayBody(4, 900, 1000, 4);
    ShardEngine engine;
    engine.setToken(u"tok.en"_s);
    Profile p = profile({u"--print-args"_s, u"--run"_s}, 1, discord.api());
    p.maxShardsAuto = true;
    p.shardsPerProcess = 2;
    QVERIFY(engine.setProfile(p));
    QCOMPARE(engine.processCount(), 0); // no plan before Discord answers
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.processCount(), 2);
    QTRY_COMPARE(engine.status().running, 2);
    QCOMPARE(engine.gatewayInfo().shards, 4);
    QCOMPARE(engine.process(1)->range().first, 2);
    QCOMPARE(engine.process(1)->range().last, 3);
    Recorder r(&engine); // after the rebuild: the processes it follows exist now
    engine.killAll();
}

void TestGatewayGuard::autoShardsWithoutTokenIsRefused()
{
    ShardEngine engine;
    Profile p = profile({u"--run"_s}, 1, u"http://127.0.0.1:1/api"_s);
    p.maxShardsAuto = true;
    engine.setProfile(p);
    QString error;
    QVERIFY(!engine.startAll(&error));
    QVERIFY2(error.contains(u"token"_s), qPrintable(error));
}

void TestGatewayGuard::autoShardsStartFailsWhenDiscordDoesNotSay()
{
    FakeDiscord discord;
    discord.status = 500;
    discord.body = "{}";
    ShardEngine engine;
    engine.setToken(u"tok.en"_s);
    Profile p = profile({u"--run"_s}, 1, discord.api());
    p.maxShardsAuto = true;
    QVERIFY(engine.setProfile(p));
    QSignalSpy failed(&engine, &ShardEngine::startFailed);
    QSignalSpy gatewayFailed(&engine, &ShardEngine::gatewayFailed);
    QVERIFY(engine.startAll()); // asked; the answer decides
    QVERIFY(failed.wait(10000));
    QCOMPARE(gatewayFailed.size(), 1);
    QVERIFY2(failed.at(0).at(0).toString().startsWith(
                 u"maxShards is \"auto\" but Discord did not say how many"_s),
             qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(engine.processCount(), 0);
    QVERIFY(!engine.isBusy());

    // The failure ended that start: a later answer (a fetch by hand) starts nothing.
    discord.status = 200;
    discord.body = FakeDiscord::gatewayBody(2, 900, 1000, 1);
    QSignalSpy fetched(&engine, &ShardEngine::gatewayFetched);
    engine.fetchGateway();
    QVERIFY(fetched.wait(10000));
    QCOMPARE(engine.processCount(), 2); // the plan follows Discord's count
    QVERIFY(!engine.isBusy());
    QCOMPARE(failed.size(), 1);
}

void TestGatewayGuard::startsArePacedByConcurrency()
{
    FakeDiscord discord;
    // 1 identify per 5 s would take 5 s per 1-shard process; with concurrency 10 it is 500 ms.
    discord.body = FakeDiscord::gatewayBody(3, 900, 1000, 10);
    ShardEngine engine;
    engine.setToken(u"tok.en"_s);
    QVERIFY(engine.setProfile(profile({u"--run"_s}, 3, discord.api())));
    Recorder r(&engine);
    QSignalSpy fetched(&engine, &ShardEngine::gatewayFetched);
    engine.fetchGateway();
    QVERIFY(fetched.wait(10000));
    QCOMPARE(engine.schedule().at(2).startOffsetMs, 1000);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(r.launchedAtMs.size(), 3);
    for (int i = 1; i < 3; ++i) {
        const qint64 gap = r.launchedAtMs.at(i).second - r.launchedAtMs.at(i - 1).second;
        QVERIFY2(gap >= 475, qPrintable(u"gap %1 ms"_s.arg(gap))); // waitTime is 0
    }
    engine.killAll();
}

void TestGatewayGuard::budgetGuardStopsACrashLoop()
{
    FakeDiscord discord;
    // High concurrency: the two first starts are not paced apart (pacing has its own test).
    discord.body = FakeDiscord::gatewayBody(2, 12, 1000, 100);
    ShardEngine engine;
    engine.setToken(u"tok.en"_s);
    Profile p = profile({u"--sleep=50"_s, u"--exit=1"_s}, 2, discord.api());
    p.autoRestart = true;
    p.restartDelay = 20;
    p.restartDelayMax = 40;
    p.maxRestarts = 1000; // only the guard can stop this loop
    QVERIFY(engine.setProfile(p));
    QCOMPARE(engine.status().identifyThreshold, 4);
    Recorder r(&engine);
    QSignalSpy paused(&engine, &ShardEngine::autoRestartsPausedChanged);
    QSignalSpy fetched(&engine, &ShardEngine::gatewayFetched);
    engine.fetchGateway();
    QVERIFY(fetched.wait(10000));
    QVERIFY(engine.startAll());
    QVERIFY(paused.wait(20000));
    QCOMPARE(paused.at(0).at(0).toBool(), true);
    QVERIFY(engine.status().autoRestartsPaused);
    // Everything stops; no start happens after the pause.
    QTRY_VERIFY_WITH_TIMEOUT(!engine.isBusy(), 10000);
    const qsizetype launches = r.launchedAtMs.size();
    QVERIFY2(launches <= 12 - 4 + 1, qPrintable(QString::number(launches)));
    QVERIFY(engine.status().identifyBudget >= 0); // the budget was never spent
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(engine.process(i)->state(), ProcessState::Exited);
        QVERIFY(!engine.process(i)->lastExit().restartHeldBack.isEmpty());
    }
    QVERIFY(r.notices.join(u'\n').contains(u"session starts"_s));

    // The user resumes by hand: the held-back processes start again.
    engine.resumeAutoRestarts();
    QTRY_VERIFY(r.launchedAtMs.size() > launches);
    engine.killAll();
}

void TestGatewayGuard::fatalCloseCodeStopsRestarts()
{
    ShardEngine engine;
    Profile p = profile(
        {u"--print=2026-11-26 09:30:01 | [WARNING] | Shard 0 : 4004 - Authentication failed."_s,
         u"--sleep=50"_s, u"--exit=1"_s},
        1, u"http://127.0.0.1:1/api"_s);
    p.autoRestart = true;
    p.restartDelay = 20;
    QVERIFY(engine.setProfile(p));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.process(0)->state(), ProcessState::Exited);
    QCOMPARE(r.launchedAtMs.size(), 1);
    const ExitInfo &exit = engine.process(0)->lastExit();
    QVERIFY2(exit.restartHeldBack.contains(u"4004"_s), qPrintable(exit.restartHeldBack));
    QVERIFY(exit.restartHeldBack.contains(u"authentication failed"_s));
    QVERIFY(r.notices.join(u'\n').contains(u"will not be restarted"_s));
    // Starting by hand clears the block.
    QVERIFY(engine.startProcess(0));
    QTRY_COMPARE(r.launchedAtMs.size(), 2);
    engine.killAll();
}

void TestGatewayGuard::shardStatesFollowTheLog()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile(
        {u"--print=x | [INFO]    | Shard 0 : Received HELLO"_s,
         u"--print=x | \x1b[1;32m[INFO]   \x1b[0m | Shard 0 : Received READY"_s, u"--run"_s},
        1, u"http://127.0.0.1:1/api"_s)));
    QSignalSpy changes(&engine, &ShardEngine::shardStateChanged);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(changes.count(), 2);
    const QList<ShardState> states = engine.shardStates(0);
    QCOMPARE(states.size(), 1);
    QCOMPARE(states.first().shard, 0);
    QCOMPARE(states.first().state, u"ready"_s);
    QVERIFY(states.first().changedAt.isValid());
    engine.killAll();
}

void TestGatewayGuard::tokenNeverInCmdlineLogOrEvents()
{
    const QString token = u"MTIzNDU2.secret-part.xyz"_s;
    const QString logPath = m_bot.filePath(u"redaction.log"_s);
    ShardEngine engine;
    engine.setToken(token);
    // The child prints the token it got from its environment: never from argv.
    Profile p
        = profile({u"--pid"_s, u"--print-env=DISCORD_TOKEN"_s, u"--stderr=oops ${DISCORD_TOKEN}"_s,
                   u"--partial=tail ${DISCORD_TOKEN}"_s, u"--run"_s},
                  2, u"http://127.0.0.1:1/api"_s);
    p.logFile = logPath;
    QVERIFY(engine.setProfile(p));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(r.err.at(0).size() + r.err.at(1).size(), 2);
    QTRY_VERIFY(r.out.at(0).join(u'\n').contains(u"tail [token]"_s));
    QTRY_VERIFY(r.out.at(1).join(u'\n').contains(u"tail [token]"_s));
    for (int i = 0; i < 2; ++i) {
        // The child did get the token (redacted on its way back to us).
        QCOMPARE(r.env(i, u"DISCORD_TOKEN"_s), u"[token]"_s);
        const qint64 pid = engine.process(i)->pid();
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        QVERIFY(!cmdline.readAll().contains(token.toUtf8()));
        for (const QString &line : r.out.at(i) + r.err.at(i))
            QVERIFY2(!line.contains(token), qPrintable(line));
    }
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY(text.contains("oops [token]"));
    QVERIFY(!text.contains(token.toUtf8()));
    for (int i = 0; i < 2; ++i)
        QVERIFY(!engine.process(i)->recentLines().lines().isEmpty());
}

QTEST_GUILESS_MAIN(TestGatewayGuard)
#include "tst_gatewayguard.moc"
