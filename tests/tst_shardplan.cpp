// Tests the shard plan of DESIGN §3: contiguous ranges, the last one ending at maxShards - 1.

#include "engine/shardplan.h"

#include <QTest>

using namespace Qt::StringLiterals;

using Ranges = QList<std::pair<int, int>>;

class TestShardPlan : public QObject {
    Q_OBJECT

private slots:
    void ranges_data();
    void ranges();
    void startOffsets();
    void invalidInputsGiveEmptyPlan_data();
    void invalidInputsGiveEmptyPlan();
};

void TestShardPlan::ranges_data()
{
    QTest::addColumn<int>("maxShards");
    QTest::addColumn<int>("perProcess");
    QTest::addColumn<Ranges>("expected");

    // The seed gave 9-10 for the last range: one past the end.
    QTest::newRow("10/3") << 10 << 3 << Ranges {{0, 2}, {3, 5}, {6, 8}, {9, 9}};
    QTest::newRow("1/1") << 1 << 1 << Ranges {{0, 0}};
    QTest::newRow("10/10") << 10 << 10 << Ranges {{0, 9}};
    QTest::newRow("10/1") << 10 << 1 << Ranges {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4},
                                                {5, 5}, {6, 6}, {7, 7}, {8, 8}, {9, 9}};
    QTest::newRow("7/2") << 7 << 2 << Ranges {{0, 1}, {2, 3}, {4, 5}, {6, 6}};
    QTest::newRow("6/2") << 6 << 2 << Ranges {{0, 1}, {2, 3}, {4, 5}};
    QTest::newRow("5/4") << 5 << 4 << Ranges {{0, 3}, {4, 4}};
}

void TestShardPlan::ranges()
{
    QFETCH(int, maxShards);
    QFETCH(int, perProcess);
    QFETCH(Ranges, expected);

    const QList<ShardRange> plan = ShardPlan::compute(maxShards, perProcess, 0);
    Ranges actual;
    int covered = 0;
    for (qsizetype i = 0; i < plan.size(); ++i) {
        QCOMPARE(plan.at(i).process, int(i));
        actual.append({plan.at(i).first, plan.at(i).last});
        covered += plan.at(i).shardCount();
    }
    QCOMPARE(actual, expected);
    QCOMPARE(covered, maxShards); // every shard exactly once
}

void TestShardPlan::startOffsets()
{
    const QList<ShardRange> plan = ShardPlan::compute(10, 3, 2500);
    QCOMPARE(plan.size(), 4);
    for (qsizetype i = 0; i < plan.size(); ++i)
        QCOMPARE(plan.at(i).startOffsetMs, qint64(i) * 2500);

    // Large products must not overflow int.
    const QList<ShardRange> many = ShardPlan::compute(100000, 1, 60000);
    QCOMPARE(many.size(), 100000);
    QCOMPARE(many.last().startOffsetMs, qint64(99999) * 60000);
    QCOMPARE(many.last().first, 99999);
    QCOMPARE(many.last().last, 99999);
}

void TestShardPlan::invalidInputsGiveEmptyPlan_data()
{
    QTest::addColumn<int>("maxShards");
    QTest::addColumn<int>("perProcess");
    QTest::addColumn<int>("waitTime");

    QTest::newRow("maxShards 0") << 0 << 1 << 0;
    QTest::newRow("maxShards negative") << -3 << 1 << 0;
    QTest::newRow("perProcess 0") << 10 << 0 << 0;
    QTest::newRow("perProcess negative") << 10 << -1 << 0;
    QTest::newRow("perProcess > maxShards") << 10 << 11 << 0;
    QTest::newRow("negative waitTime") << 10 << 2 << -1;
}

void TestShardPlan::invalidInputsGiveEmptyPlan()
{
    QFETCH(int, maxShards);
    QFETCH(int, perProcess);
    QFETCH(int, waitTime);
    QVERIFY(ShardPlan::compute(maxShards, perProcess, waitTime).isEmpty());
}

QTEST_GUILESS_MAIN(TestShardPlan)
#include "tst_shardplan.moc"
