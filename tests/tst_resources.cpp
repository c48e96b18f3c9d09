// Memory and CPU sampling of real fakeshard children: the sampler sees what a child allocates
// and burns, the table colours a process over memoryWarn/memoryLimit, memoryRestart restarts a
// process that stays over the limit, and the sparkline delegate paints the history.

#include "enginerecorder.h"
#include "process/resourcemonitor.h"
#include "processchart.h"
#include "processtablemodel.h"
#include "sparklinedelegate.h"
#include "testbot.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QColor>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class TestResources : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void samplerSeesAllocatedMemory();
    void samplerSeesCpuAndTheWholeGroup();
    void warningAndLimitColourTheRow();
    void memoryRestartRestartsTheProcess();
    void sparklinePaints();
    void detailChartShowsHistoryAndRestarts();

private:
    Profile profile(const QStringList &behaviours, int maxShards = 1)
    {
        return m_bot.profile(behaviours, maxShards);
    }

    TestBot m_bot;
};

void TestResources::initTestCase()
{
    QVERIFY(m_bot.isValid());
}

void TestResources::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestResources::samplerSeesAllocatedMemory()
{
    ShardEngine engine;
    engine.setSampleInterval(100);
    QVERIFY(engine.setProfile(profile({u"--alloc=64"_s, u"--run"_s})));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_VERIFY(r.out.at(0).contains(u"ALLOCATED 64"_s));
    QTRY_VERIFY(engine.resources(0).hasSample
                && engine.resources(0).last.rssBytes >= 64LL * 1024 * 1024);
    QVERIFY(engine.resources(0).last.rssBytes < 200LL * 1024 * 1024); // its own, not the manager's
    QVERIFY(engine.resources(0).last.threads >= 1);
    QVERIFY(!engine.resources(0).recent.empty());
    QCOMPARE(engine.resources(0).starts.size(), 1);
    engine.killAll();
}

void TestResources::samplerSeesCpuAndTheWholeGroup()
{
    // A forked helper in the group allocates too: the tree's memory is the sum.
    ShardEngine engine;
    engine.setSampleInterval(200);
    QVERIFY(engine.setProfile(
        profile({u"--grandchild"_s, u"--alloc=40"_s, u"--spin=3000"_s, u"--run"_s})));
    QVERIFY(engine.startAll());
    QTRY_VERIFY_WITH_TIMEOUT(
        engine.resources(0).hasSample && engine.resources(0).last.cpuPercent > 30, 5000);
    QVERIFY(engine.resources(0).last.rssBytes >= 40LL * 1024 * 1024);
    engine.killAll();

    ProcessSampler sampler;
    QVERIFY(sampler.sample({}).isEmpty());
    QVERIFY(sampler.sample({999999999}).isEmpty()); // no such group
}

void TestResources::warningAndLimitColourTheRow()
{
    ShardEngine engine;
    engine.setSampleInterval(100);
    Profile p = profile({u"--alloc=48"_s, u"--run"_s}, 2);
    p.interpreterArgs = {u"--alloc=48"_s, u"--run"_s};
    p.memoryWarn = 20LL * 1000 * 1000;
    p.memoryLimit = 1000LL * 1000 * 1000;
    QVERIFY(engine.setProfile(p));
    ProcessTableModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(engine.startAll());
    const QModelIndex memory = model.index(0, ProcessTableModel::Memory);
    QTRY_COMPARE(memory.data(ProcessTableModel::LevelRole).toInt(), 1);
    QCOMPARE(memory.data(Qt::ForegroundRole).value<QColor>(), ProcessTableModel::levelColor(1));
    QVERIFY(memory.data().toString().endsWith(u" MB"_s));
    QVERIFY(memory.data(ProcessTableModel::HistoryRole).value<QList<qreal>>().size() >= 1);
    QVERIFY(model.index(0, ProcessTableModel::Cpu).data().toString().endsWith(u"%"_s));
    engine.killAll();
    QTRY_VERIFY(!engine.isBusy());

    p.memoryLimit = 30LL * 1000 * 1000; // now over the limit too
    QVERIFY(engine.setProfile(p));
    QVERIFY(engine.startAll());
    QTRY_COMPARE(
        model.index(1, ProcessTableModel::Memory).data(ProcessTableModel::LevelRole).toInt(), 2);
    QCOMPARE(model.index(1, ProcessTableModel::Memory).data(Qt::ForegroundRole).value<QColor>(),
             ProcessTableModel::levelColor(2));
    engine.killAll();
}

void TestResources::memoryRestartRestartsTheProcess()
{
    ShardEngine engine;
    engine.setSampleInterval(100);
    engine.setMemoryRestartDelay(500);
    Profile p = profile({u"--pid"_s, u"--alloc=64"_s, u"--run"_s});
    p.memoryWarn = 10LL * 1000 * 1000;
    p.memoryLimit = 32LL * 1000 * 1000;
    p.memoryRestart = true;
    QVERIFY(engine.setProfile(p));
    Recorder r(&engine);
    QVERIFY(engine.startAll());
    QTRY_VERIFY_WITH_TIMEOUT(r.started.size() >= 2, 10000);
    QVERIFY(r.started.at(0).second != r.started.at(1).second);
    QVERIFY(r.notices.join(u'\n').contains(u"memoryRestart"_s));
    QVERIFY(engine.process(0)->restarts() >= 1);
    // A graceful restart: the first run was asked to stop, it did not crash.
    QVERIFY(!r.exits.isEmpty() && r.exits.first().second.requested);
    engine.killAll();

    // Without memoryRestart the same process is only coloured, never restarted.
    ShardEngine calm;
    calm.setSampleInterval(100);
    calm.setMemoryRestartDelay(300);
    p.memoryRestart = false;
    p.port = ProcessUtil::freePort();
    QVERIFY(calm.setProfile(p));
    Recorder quiet(&calm);
    QVERIFY(calm.startAll());
    QTRY_VERIFY(calm.resources(0).recent.size() >= 10); // a second of samples over the limit
    QCOMPARE(quiet.started.size(), 1);
    calm.killAll();
}

void TestResources::sparklinePaints()
{
    ShardEngine engine;
    engine.setSampleInterval(50);
    Profile p = profile({u"--alloc=30"_s, u"--run"_s});
    p.memoryLimit = 40LL * 1000 * 1000;
    p.memoryWarn = 35LL * 1000 * 1000;
    QVERIFY(engine.setProfile(p));
    ProcessTableModel model(&engine);
    QTableView view;
    view.setModel(&model);
    SparklineDelegate delegate;
    view.setItemDelegateForColumn(ProcessTableModel::Memory, &delegate);
    view.setColumnWidth(ProcessTableModel::Memory, 160);
    view.resize(1400, 200);
    view.show();
    QVERIFY(engine.startAll());
    QTRY_VERIFY(engine.resources(0).recent.size() >= 20);

    const QRect cell = view.visualRect(model.index(0, ProcessTableModel::Memory));
    QVERIFY(cell.isValid());
    const QImage image = view.viewport()->grab(cell).toImage();
    // The line and its fill are drawn in the level colour (the fill faint); count that hue.
    const QColor line = ProcessTableModel::levelColor(0);
    int coloured = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.hue() - line.hue()) < 12 && c.saturation() > 15)
                ++coloured;
        }
    }
    QVERIFY2(coloured > 20, qPrintable(QString::number(coloured)));

    // And a cell without history paints no line.
    const QRect cpu = view.visualRect(model.index(0, ProcessTableModel::Restarts));
    const QImage plain = view.viewport()->grab(cpu).toImage();
    int plainColoured = 0;
    for (int y = 0; y < plain.height(); ++y)
        for (int x = 0; x < plain.width(); ++x)
            plainColoured += std::abs(plain.pixelColor(x, y).hue() - line.hue()) < 12
                && plain.pixelColor(x, y).saturation() > 15;
    QCOMPARE(plainColoured, 0);
    engine.killAll();
}

namespace {
int pixelsOfHue(const QImage &image, const QColor &colour)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.hue() - colour.hue()) < 12 && c.saturation() > 15;
        }
    }
    return n;
}
} // namespace

void TestResources::detailChartShowsHistoryAndRestarts()
{
    ShardEngine engine;
    engine.setSampleInterval(50);
    Profile p = profile({u"--alloc=30"_s, u"--run"_s});
    QVERIFY(engine.setProfile(p));
    ProcessChart chart(&engine, ProcessChart::Metric::Memory);
    chart.resize(600, 220);
    chart.setProcess(0);
    chart.show();
    const QColor line = ProcessTableModel::levelColor(0);
    QCOMPARE(pixelsOfHue(chart.grab().toImage(), line), 0); // nothing sampled yet
    QVERIFY(engine.startAll());
    QTRY_VERIFY(engine.resources(0).recent.size() >= 10);
    QTRY_VERIFY(pixelsOfHue(chart.grab().toImage(), line) > 200);

    // A restart is marked on the time axis in its own colour.
    QCOMPARE(pixelsOfHue(chart.grab().toImage(), ProcessChart::restartMarkColor()), 0);
    engine.restartProcess(0);
    QTRY_COMPARE(engine.resources(0).starts.size(), 2);
    QTRY_VERIFY(engine.resources(0).recent.back().timeMs > engine.resources(0).starts.last());
    QTRY_VERIFY(pixelsOfHue(chart.grab().toImage(), ProcessChart::restartMarkColor()) > 10);
    engine.killAll();
}

QTEST_MAIN(TestResources)
#include "tst_resources.moc"
