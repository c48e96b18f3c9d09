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
    void slicesCoverThePlanOnceAndEvenly();
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

void TestShardPlan::slicesCoverThePlanOnceAndEvenly()
{
    // Every plan up to 40 processes cut into every number of slices up to its size: the slices
    // together are the plan, range for range, in order, sizes differing by at most one, each
    // numbered from 0 and starting at 0.
    for (int processes = 1; processes <= 40; ++processes) {
        const QList<ShardRange> plan = ShardPlan::compute(processes * 3, 3, 500);
        QCOMPARE(plan.size(), processes);
        for (int size = 1; size <= processes; ++size) {
            QList<ShardRange> joined;
            int smallest = processes, largest = 0;
            for (int index = 0; index < size; ++index) {
                const QList<ShardRange> part = ShardPlan::slice(plan, {index, size});
                const auto [from, to] = ShardPlan::sliceBounds(processes, {index, size});
                QCOMPARE(part.size(), to - from);
                QCOMPARE(from, int(joined.size()));
                smallest = std::min(smallest, int(part.size()));
                largest = std::max(largest, int(part.size()));
                for (int k = 0; k < part.size(); ++k) {
                    QCOMPARE(part.at(k).process, k);
                    QCOMPARE(part.at(k).startOffsetMs, qint64(k) * 500);
                    ShardRange global = part.at(k);
                    global.process += from;
                    global.startOffsetMs += plan.at(from).startOffsetMs;
                    joined.append(global);
                }
            }
            QCOMPARE(joined, plan);
            QVERIFY(largest - smallest <= 1);
            QVERIFY(smallest >= 1);
        }
    }
    // 48 shards, 4 a process, 3 pods: 4 processes (16 shards) each.
    const QList<ShardRange> plan = ShardPlan::compute(48, 4, 0);
    const QList<ShardRange> pod1 = ShardPlan::slice(plan, {1, 3});
    QCOMPARE(pod1.size(), 4);
    QCOMPARE(pod1.first().first, 16);
    QCOMPARE(pod1.last().last, 31);
}

QTEST_GUILESS_MAIN(TestShardPlan)
#include "tst_shardplan.moc"
