// Discordia's log lines (with and without ANSI colour) turned into per-shard states, and the
// start pacing that follows Discord's identify limit.

#include "engine/shardplan.h"
#include "process/shardstates.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestShardStates : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void fatalCloseCodes();
    void pacing_data();
    void pacing();
};

void TestShardStates::parse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("shard");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("closeCode");
    const QString info = u"2026-11-26 09:30:01 | [INFO]    | "_s;
    const QString coloured = u"2026-11-26 09:30:01 | \x1b[1;32m[INFO]   \x1b[0m | "_s;
    QTest::newRow("hello") << info + u"Shard 3 : Received HELLO"_s << 3 << u"hello"_s << 0;
    QTest::newRow("ready") << info + u"Shard 3 : Received READY"_s << 3 << u"ready"_s << 0;
    QTest::newRow("ready, coloured")
        << coloured + u"Shard 12 : Received READY"_s << 12 << u"ready"_s << 0;
    QTest::newRow("resumed") << info + u"Shard 0 : Received RESUMED"_s << 0 << u"resumed"_s << 0;
    QTest::newRow("reconnecting") << info + u"Shard 7 : Reconnecting..."_s << 7 << u"reconnecting"_s
                                  << 0;
    QTest::newRow("invalidated") << info + u"Shard 7 : Session invalidated, re-identifying..."_s
                                 << 7 << u"invalidated"_s << 0;
    QTest::newRow("close code")
        << u"2026-11-26 09:30:01 | [WARNING] | Shard 2 : 4004 - Authentication failed."_s << 2
        << u"closed"_s << 4004;
    QTest::newRow("close code, coloured")
        << u"2026-11-26 09:30:01 | \x1b[1;33m[WARNING]\x1b[0m | Shard 5 : 4014 - Disallowed intent(s)."_s
        << 5 << u"closed"_s << 4014;
    QTest::newRow("heartbeat is no state")
        << info + u"Shard 3 : Received HEARTBEAT_ACK"_s << -1 << QString() << 0;
    QTest::newRow("other line") << info + u"Ready as Bot#0001"_s << -1 << QString() << 0;
    QTest::newRow("empty") << QString() << -1 << QString() << 0;
}

void TestShardStates::parse()
{
    QFETCH(QString, line);
    QFETCH(int, shard);
    QFETCH(QString, state);
    QFETCH(int, closeCode);
    ShardState s;
    QCOMPARE(ShardStates::parse(line, &s), shard >= 0);
    if (shard < 0)
        return;
    QCOMPARE(s.shard, shard);
    QCOMPARE(s.state, state);
    QCOMPARE(s.closeCode, closeCode);
}

void TestShardStates::fatalCloseCodes()
{
    for (int code : {4004, 4010, 4011, 4012, 4013, 4014}) {
        QVERIFY2(ShardStates::isFatalCloseCode(code), qPrintable(QString::number(code)));
        QVERIFY(!ShardStates::closeCodeMeaning(code).isEmpty());
    }
    for (int code : {1000, 1001, 4000, 4001, 4007, 4008, 4009})
        QVERIFY2(!ShardStates::isFatalCloseCode(code), qPrintable(QString::number(code)));
}

void TestShardStates::pacing_data()
{
    QTest::addColumn<int>("maxShards");
    QTest::addColumn<int>("perProcess");
    QTest::addColumn<int>("waitTime");
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<QList<qint64>>("offsets");
    // Unknown concurrency: waitTime alone.
    QTest::newRow("unknown") << 6 << 2 << 2500 << 0 << QList<qint64> {0, 2500, 5000};
    // 2 shards need 10 s at 1 identify per 5 s: the seed's 2500 ms is too short.
    QTest::newRow("concurrency 1") << 6 << 2 << 2500 << 1 << QList<qint64> {0, 10000, 20000};
    QTest::newRow("concurrency 16")
        << 64 << 16 << 2500 << 16 << QList<qint64> {0, 5000, 10000, 15000};
    QTest::newRow("waitTime longer") << 4 << 2 << 15000 << 1 << QList<qint64> {0, 15000};
    // The last process is smaller; the gap after a process depends on its own shards.
    QTest::newRow("uneven") << 5 << 2 << 0 << 2 << QList<qint64> {0, 5000, 10000};
}

void TestShardStates::pacing()
{
    QFETCH(int, maxShards);
    QFETCH(int, perProcess);
    QFETCH(int, waitTime);
    QFETCH(int, concurrency);
    QFETCH(QList<qint64>, offsets);
    const QList<ShardRange> plan = ShardPlan::paced(
        ShardPlan::compute(maxShards, perProcess, waitTime), waitTime, concurrency);
    QList<qint64> got;
    for (const ShardRange &r : plan)
        got << r.startOffsetMs;
    QCOMPARE(got, offsets);
}

QTEST_GUILESS_MAIN(TestShardStates)
#include "tst_shardstates.moc"
