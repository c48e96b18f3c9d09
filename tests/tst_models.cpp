// The item models over a live engine, each watched by QAbstractItemModelTester for the whole
// test, with real fakeshard children going through start, output, crash, backoff and stop.

#include "enginerecorder.h"
#include "ipcmessagemodel.h"
#include "processtablemodel.h"
#include "testbot.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestModels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void tableFollowsAProcessThroughItsLife();
    void tableRebuildsWithThePlan();
    void tableShowsStatsAndIpcConnections();
    void ipcMessagesAreListedAndBounded();

private:
    Profile profile(const QStringList &behaviours, int maxShards = 2);

    TestBot m_bot;
};

void TestModels::initTestCase()
{
    QVERIFY(m_bot.isValid());
}

void TestModels::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

Profile TestModels::profile(const QStringList &behaviours, int maxShards)
{
    Profile p = m_bot.profile(behaviours, maxShards);
    p.autoRestart = true;
    p.restartDelay = 300;
    p.restartDelayMax = 2000;
    return p;
}

namespace {
QString cell(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}
ProcessState stateOf(const QAbstractItemModel &m, int row)
{
    return ProcessState(m.index(row, 0).data(ProcessTableModel::StateRole).toInt());
}
} // namespace

void TestModels::tableFollowsAProcessThroughItsLife()
{
    ShardEngine engine;
    ProcessTableModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Prints, crashes by SIGSEGV after a while, and is restarted with backoff.
    QVERIFY(engine.setProfile(profile({u"--print=booting"_s, u"--print=\x1b[32mready\x1b[0m"_s,
                                       u"--sleep=400"_s, u"--crash=11"_s},
                                      1)));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, ProcessTableModel::Shards), u"0"_s);
    QCOMPARE(cell(model, 0, ProcessTableModel::State), u"pending"_s);

    QVERIFY(engine.startAll());
    QTRY_COMPARE(stateOf(model, 0), ProcessState::Running);
    QCOMPARE(cell(model, 0, ProcessTableModel::State), u"running"_s);
    QCOMPARE(model.index(0, ProcessTableModel::Pid).data().toLongLong(), engine.process(0)->pid());
    QCOMPARE(model.index(0, ProcessTableModel::State).data(Qt::DecorationRole).value<QColor>(),
             ProcessTableModel::stateColor(int(ProcessState::Running)));
    // The last line, without its colour codes.
    QTRY_COMPARE(cell(model, 0, ProcessTableModel::LastLine), u"ready"_s);

    QTRY_COMPARE_WITH_TIMEOUT(stateOf(model, 0), ProcessState::Restarting, 5000);
    QVERIFY2(cell(model, 0, ProcessTableModel::State).startsWith(u"restarting in"_s),
             qPrintable(cell(model, 0, ProcessTableModel::State)));
    QCOMPARE(cell(model, 0, ProcessTableModel::LastExit), u"SIGSEGV"_s);
    QVERIFY(cell(model, 0, ProcessTableModel::Pid).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, ProcessTableModel::Restarts), u"1"_s, 5000);
    QTRY_COMPARE(stateOf(model, 0), ProcessState::Running);

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    QCOMPARE(cell(model, 0, ProcessTableModel::State), u"stopped"_s);
    QCOMPARE(cell(model, 0, ProcessTableModel::Uptime), QString());
}

void TestModels::tableRebuildsWithThePlan()
{
    ShardEngine engine;
    ProcessTableModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Profile p = profile({u"--run"_s}, 10);
    p.shardsPerProcess = 3;
    QVERIFY(engine.setProfile(p));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(cell(model, 0, ProcessTableModel::Shards), u"0–2"_s);
    QCOMPARE(cell(model, 3, ProcessTableModel::Shards), u"9"_s);
    p.shardsPerProcess = 5;
    QVERIFY(engine.setProfile(p));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 1, ProcessTableModel::Shards), u"5–9"_s);
    // Sorting uses numbers, not text.
    QCOMPARE(model.index(1, ProcessTableModel::Process).data(ProcessTableModel::SortRole).toInt(),
             1);
}

void TestModels::tableShowsStatsAndIpcConnections()
{
    ShardEngine engine;
    ProcessTableModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(engine.setProfile(
        profile({u"--ipc-connect"_s, u"--ipc-send={\"op\":\"stats\",\"guilds\":1234,\"ping\":56}"_s,
                 u"--run"_s})));
    QVERIFY(engine.startAll());
    for (int row = 0; row < 2; ++row) {
        QTRY_COMPARE(cell(model, row, ProcessTableModel::Guilds), u"1234"_s);
        QCOMPARE(cell(model, row, ProcessTableModel::Ping), u"56 ms"_s);
        QTRY_COMPARE(cell(model, row, ProcessTableModel::Ipc), u"1"_s);
    }
    engine.killAll();
    QTRY_VERIFY(!engine.isBusy());
    QCOMPARE(cell(model, 0, ProcessTableModel::Ipc), QString()); // no session, no IPC
}

void TestModels::ipcMessagesAreListedAndBounded()
{
    ShardEngine engine;
    IpcMessageModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumRows(5);
    QVERIFY(engine.setProfile(profile({u"--ipc-connect"_s, u"--ipc-send=one"_s, u"--ipc-send=two"_s,
                                       u"--ipc-send=three"_s, u"--run"_s})));
    QVERIFY(engine.startAll());
    // 6 messages arrive, 5 are kept: the oldest goes.
    QTRY_COMPARE(model.rowCount() + int(model.droppedCount()), 6);
    QCOMPARE(model.rowCount(), 5);
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row) {
        texts << model.index(row, IpcMessageModel::Message).data().toString();
        const int process = model.index(row, 0).data(IpcMessageModel::ProcessRole).toInt();
        QVERIFY(process == 0 || process == 1);
        QVERIFY(model.index(row, IpcMessageModel::From)
                    .data()
                    .toString()
                    .startsWith(u"process %1"_s.arg(process)));
    }
    QCOMPARE(texts.count(u"three"_s), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    engine.killAll();
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
