// IPC through the engine, with real fakeshard children: broadcast and sendTo reach the right
// processes, messages carry their sender (and the counts of what each process was sent follow the
// plan), a port in use stops the start, and a rolling restart waits for a bot that reports
// {"op":"ready"}.

#include "enginerecorder.h"
#include "testbot.h"

#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

class TestEngineIpc : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void broadcastReachesEveryProcess();
    void sendToReachesOneProcess();
    void sentCountsStartOverWithANewPlan();
    void messagesCarryTheirSender();
    void portInUseStopsTheStart();
    void rollingRestartWaitsForReady();
    void tokenIsRedactedInIpcMessages();

private:
    Profile profile(const QStringList &behaviours, const QJsonObject &overrides = {});

    TestBot m_bot;
};

void TestEngineIpc::initTestCase()
{
    QVERIFY(m_bot.isValid());
}

void TestEngineIpc::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

Profile TestEngineIpc::profile(const QStringList &behaviours, const QJsonObject &overrides)
{
    Profile p = m_bot.profile(behaviours, 3);
    if (overrides.contains(u"waitTime"_s))
        p.waitTime = overrides.value(u"waitTime"_s).toInt();
    if (overrides.contains(u"port"_s))
        p.port = overrides.value(u"port"_s).toInt();
    return p;
}

void TestEngineIpc::broadcastReachesEveryProcess()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--ipc-connect"_s, u"--ipc-echo"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(engine.status().ipcConnections, 3, 10000);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(engine.ipcConnectionCount(i), 1);
    QCOMPARE(engine.broadcast(u"hello shards"_s), 3);
    for (int i = 0; i < 3; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(r.outputStartingWith(i, u"IPC "_s),
                                  QStringList {u"IPC hello shards"_s}, 10000);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QVERIFY(engine.status().ipcAddress.isEmpty()); // the server closes with the session
}

void TestEngineIpc::sendToReachesOneProcess()
{
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--ipc-connect"_s, u"--ipc-echo"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(engine.status().ipcConnections, 3, 10000);
    QCOMPARE(engine.sendTo(1, u"just one"_s), 1);
    QCOMPARE(engine.broadcast(u"everyone"_s), 3);
    for (int i = 0; i < 3; ++i)
        QTRY_VERIFY_WITH_TIMEOUT(r.outputStartingWith(i, u"IPC "_s).contains(u"IPC everyone"_s),
                                 10000);
    // Each connection is ordered: by the time "everyone" arrived, "just one" would have too.
    QCOMPARE(r.outputStartingWith(1, u"IPC "_s),
             QStringList({u"IPC just one"_s, u"IPC everyone"_s}));
    QCOMPARE(r.outputStartingWith(0, u"IPC "_s), QStringList {u"IPC everyone"_s});
    QCOMPARE(r.outputStartingWith(2, u"IPC "_s), QStringList {u"IPC everyone"_s});
    engine.killAll();
}

void TestEngineIpc::sentCountsStartOverWithANewPlan()
{
    // Per-process counts are keyed by process number; another plan numbers other shards, so
    // process 1 of the new plan starts from nothing (the metrics' received counts do the same).
    ShardEngine engine;
    const Profile three = profile({u"--ipc-connect"_s, u"--run"_s});
    QVERIFY(engine.setProfile(three));
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(engine.status().ipcConnections, 3, 10000);
    QCOMPARE(engine.sendTo(1, u"just one"_s), 1);
    QCOMPARE(engine.broadcast(u"everyone"_s), 3);
    QCOMPARE(engine.ipcMessagesSentTo(1), 2);
    QCOMPARE(engine.ipcMessagesSentTo(0), 1);
    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    // The same plan again keeps them; a new one starts over. The service's total stays.
    QVERIFY(engine.setProfile(three));
    QCOMPARE(engine.ipcMessagesSentTo(1), 2);
    QVERIFY(engine.setProfile(m_bot.profile({u"--ipc-connect"_s, u"--run"_s}, 2)));
    QCOMPARE(engine.processCount(), 2);
    QCOMPARE(engine.ipcMessagesSentTo(0), 0);
    QCOMPARE(engine.ipcMessagesSentTo(1), 0);
    QCOMPARE(engine.ipcMessagesSent(), 4);
}

void TestEngineIpc::messagesCarryTheirSender()
{
    ShardEngine engine;
    // Each child says which shards it has, from its own argv (first shard).
    QVERIFY(
        engine.setProfile(profile({u"--ipc-connect"_s, u"--ipc-send=from a child"_s, u"--run"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(r.ipc.size(), 3, 10000);
    QList<int> senders;
    for (const auto &[process, text] : r.ipc) {
        QCOMPARE(text, u"from a child"_s);
        senders << process;
    }
    std::sort(senders.begin(), senders.end());
    QCOMPARE(senders, QList<int>({0, 1, 2}));
    engine.killAll();
}

void TestEngineIpc::portInUseStopsTheStart()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress(u"127.0.0.1"_s), 0));
    ShardEngine engine;
    QVERIFY(engine.setProfile(profile({u"--run"_s}, {{u"port"_s, squatter.serverPort()}})));
    Recorder r(&engine);
    QString error;
    QVERIFY(!engine.startAll(&error));
    QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
    QVERIFY2(error.contains(u"another program is using it"_s), qPrintable(error));
    QVERIFY(!engine.isSessionOpen());
    QVERIFY(r.started.isEmpty());
    QVERIFY(squatter.isListening());
}

void TestEngineIpc::rollingRestartWaitsForReady()
{
    ShardEngine engine;
    // Ready only 400 ms after connecting: a rolling restart must wait for it, not for "running".
    QVERIFY(engine.setProfile(profile({u"--ipc-connect"_s, u"--sleep=400"_s,
                                       u"--ipc-send={\"op\":\"ready\"}"_s, u"--ipc-echo"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(r.readyAtMs.size(), 3, 10000);
    for (int i = 0; i < 3; ++i)
        QVERIFY(engine.isReady(i));

    r.readyAtMs.clear();
    r.stoppingAtMs.clear();
    engine.rollingRestart();
    QTRY_COMPARE_WITH_TIMEOUT(r.readyAtMs.size(), 3, 20000);
    QTRY_VERIFY(!engine.status().rollingRestart);
    QCOMPARE(r.stoppingAtMs.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(r.stoppingAtMs.at(i).first, i);
        QCOMPARE(r.readyAtMs.at(i).first, i);
        // The next process is only stopped once this one is ready again.
        if (i + 1 < 3)
            QVERIFY(r.stoppingAtMs.at(i + 1).second >= r.readyAtMs.at(i).second);
    }
    engine.killAll();
}

void TestEngineIpc::tokenIsRedactedInIpcMessages()
{
    ShardEngine engine;
    engine.setToken(u"MTIz.secret-token"_s);
    QVERIFY(engine.setProfile(profile(
        {u"--ipc-connect"_s, u"--ipc-send=my token is MTIz.secret-token!"_s, u"--run"_s}, {})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_COMPARE_WITH_TIMEOUT(r.ipc.size(), 3, 10000);
    for (const auto &[process, text] : r.ipc)
        QCOMPARE(text, u"my token is [token]!"_s);
    engine.killAll();
}

QTEST_GUILESS_MAIN(TestEngineIpc)
#include "tst_engineipc.moc"
