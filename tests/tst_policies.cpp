// The engine's restart policies alone, driven with fake process states: the staggered start
// queue, the rolling restart, the restart hold (identify budget, fatal close codes) and memory
// restarts. The engine tests run them with real processes; these pin each rule down.

#include "engine/memoryrestart.h"
#include "engine/restarthold.h"
#include "engine/rollingrestart.h"
#include "engine/startqueue.h"
#include "process/resourcemonitor.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <deque>

using namespace Qt::StringLiterals;

namespace {

// A process as the policies see it, in whatever state a test puts it.
class FakeProcess final : public ProcessView {
public:
    explicit FakeProcess(int index)
        : m_range {index, index, index, 0}
    {
    }

    const ShardRange &range() const override { return m_range; }
    ProcessState state() const override { return m_state; }
    qint64 pid() const override { return 0; }
    int restarts() const override { return 0; }
    const ExitInfo &lastExit() const override { return exit; }
    bool hasExited() const override { return false; }
    QDateTime startedAt() const override { return {}; }
    QDateTime restartAt() const override { return {}; }
    const RecentLines &recentLines() const override { return m_lines; }
    QString autoRestartBlock() const override { return block; }

    ProcessState m_state = ProcessState::Pending;
    ExitInfo exit;
    QString block;

private:
    ShardRange m_range;
    RecentLines m_lines;
};

// The engine's side of the hooks: fake processes and a log of what the policy asked for.
struct FakeEngine {
    explicit FakeEngine(int count)
    {
        for (int i = 0; i < count; ++i)
            processes.emplace_back(i);
    }

    std::deque<FakeProcess> processes;
    QList<int> restarted;
    QList<int> started;
    QList<bool> pausedCalls;
    QList<std::pair<int, QString>> blocked;
    qint64 gapMs = 0;

    std::function<int()> count()
    {
        return [this] { return int(processes.size()); };
    }
    std::function<const ProcessView *(int)> view()
    {
        return [this](int i) -> const ProcessView * {
            return i >= 0 && i < int(processes.size()) ? &processes[size_t(i)] : nullptr;
        };
    }
};

QStringList texts(const QSignalSpy &spy)
{
    QStringList list;
    for (const QList<QVariant> &arguments : spy)
        list << arguments.at(0).toString();
    return list;
}

} // namespace

class TestPolicies : public QObject {
    Q_OBJECT

private slots:
    void startQueueStartsInTurnAndSkipsStopped();
    void startQueueKeepsTheGap();
    void rollingRestartGoesOneAtATime();
    void rollingRestartWaitsForReadinessWhenReported();
    void rollingRestartStopsWhenAProcessFails();
    void holdPausesEveryRestartAndResumeStartsHeldBack();
    void holdBlocksAProcessOnAFatalCloseCode();
    void memoryRestartOnlyWhenRunningAndNotHeldBack();
};

void TestPolicies::startQueueStartsInTurnAndSkipsStopped()
{
    QList<int> started;
    StartQueue queue([&started](int process) -> qint64 {
        if (process == 1)
            return -1; // stopped by the user while it waited
        started << process;
        return 0;
    });
    QSignalSpy drained(&queue, &StartQueue::drained);
    queue.set({0, 1, 2});
    QVERIFY(started.isEmpty()); // nothing before next()
    queue.next();
    QCOMPARE(started, QList<int> {0});
    QVERIFY(!queue.isEmpty());
    QTRY_COMPARE(started, (QList<int> {0, 2}));
    QVERIFY(queue.isEmpty());
    // The last one started: the session goes on, no drain.
    QCOMPARE(drained.size(), 0);

    // Only skipped ones left: the queue says it ran dry, so the engine can end the session.
    queue.set({1});
    queue.next();
    QCOMPARE(drained.size(), 1);
    QCOMPARE(started, (QList<int> {0, 2}));
}

void TestPolicies::startQueueKeepsTheGap()
{
    QElapsedTimer clock;
    QList<qint64> at;
    StartQueue queue([&](int) -> qint64 {
        at << clock.elapsed();
        return 300;
    });
    clock.start();
    queue.set({0, 1});
    queue.next();
    QTRY_COMPARE(at.size(), 2);
    // A coarse timer (Qt's default, as the engine's) may fire up to 5 % early.
    QVERIFY2(at.at(1) - at.at(0) >= 280, qPrintable(u"%1 ms apart"_s.arg(at.at(1) - at.at(0))));

    // A process taken out of the queue is not started.
    at.clear();
    queue.set({0, 1, 2});
    queue.next();
    queue.remove(1);
    QTRY_COMPARE(at.size(), 2);
    QVERIFY(queue.isEmpty());
}

void TestPolicies::rollingRestartGoesOneAtATime()
{
    FakeEngine engine(3);
    RollingRestart rolling({engine.count(), [&engine](int i) { engine.restarted << i; },
                            [&engine](int) { return engine.gapMs; }});
    QSignalSpy notices(&rolling, &RollingRestart::notice);
    rolling.start();
    QVERIFY(rolling.isRunning());
    QCOMPARE(engine.restarted, QList<int> {0});

    // Stopping and starting again on the way is what a restart looks like: no advance yet.
    rolling.onStateChanged(0, ProcessState::Stopping);
    rolling.onStateChanged(0, ProcessState::Starting);
    rolling.onStateChanged(1, ProcessState::Running); // another process: not the one rolled
    QCoreApplication::processEvents();
    QCOMPARE(engine.restarted, QList<int> {0});

    rolling.onStateChanged(0, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1}));
    rolling.onStateChanged(1, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1, 2}));
    rolling.onStateChanged(2, ProcessState::Running);
    QTRY_VERIFY(!rolling.isRunning());
    QCOMPARE(texts(notices).last(), u"rolling restart finished"_s);
}

void TestPolicies::rollingRestartWaitsForReadinessWhenReported()
{
    FakeEngine engine(3);
    RollingRestart rolling({engine.count(), [&engine](int i) { engine.restarted << i; },
                            [&engine](int) { return engine.gapMs; }});
    // Process 1 has said {"op":"ready"} before (its state then does not matter).
    rolling.onReady(1, ProcessState::Running);
    rolling.start();
    rolling.onStateChanged(0, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1}));

    // Running is not enough for a bot that reports readiness.
    rolling.onStateChanged(1, ProcessState::Running);
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(engine.restarted, (QList<int> {0, 1}));
    rolling.onReady(1, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1, 2}));

    // After a rebuild nobody is known to report readiness.
    rolling.reset();
    rolling.forgetReadiness();
    engine.restarted.clear();
    rolling.start();
    rolling.onStateChanged(0, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1}));
    rolling.onStateChanged(1, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1, 2}));
}

void TestPolicies::rollingRestartStopsWhenAProcessFails()
{
    FakeEngine engine(3);
    RollingRestart rolling({engine.count(), [&engine](int i) { engine.restarted << i; },
                            [&engine](int) { return engine.gapMs; }});
    QSignalSpy notices(&rolling, &RollingRestart::notice);
    rolling.start();
    rolling.onStateChanged(0, ProcessState::Running);
    QTRY_COMPARE(engine.restarted, (QList<int> {0, 1}));
    rolling.onStateChanged(1, ProcessState::CrashLoop);
    QVERIFY(!rolling.isRunning());
    QCOMPARE(texts(notices).last(), u"rolling restart stopped: process 1 is crash loop"_s);
    // Nothing more is restarted, whatever the processes do next.
    rolling.onStateChanged(1, ProcessState::Running);
    QCoreApplication::processEvents();
    QCOMPARE(engine.restarted, (QList<int> {0, 1}));

    // Cancelling says so once; a silent reset says nothing.
    rolling.start();
    rolling.cancel();
    rolling.cancel();
    QCOMPARE(texts(notices).count(u"rolling restart cancelled"_s), 1);
    const qsizetype before = notices.size();
    rolling.start();
    rolling.reset();
    QCOMPARE(notices.size(), before + 1); // only the start's notice
    QVERIFY(!rolling.isRunning());
}

void TestPolicies::holdPausesEveryRestartAndResumeStartsHeldBack()
{
    FakeEngine engine(3);
    RestartHold hold({engine.count(), engine.view(),
                      [&engine](bool paused) { engine.pausedCalls << paused; },
                      [&engine](int i, const QString &reason) {
        engine.blocked.append({i, reason});
                      },
                      [&engine](int i) { engine.started << i; }});
    QSignalSpy notices(&hold, &RestartHold::notice);
    QSignalSpy paused(&hold, &RestartHold::pausedChanged);
    QVERIFY(!hold.holdsBack(0));

    hold.pauseForBudget(5, 8);
    QVERIFY(hold.isPaused());
    QCOMPARE(engine.pausedCalls, QList<bool> {true});
    QCOMPARE(paused.size(), 1);
    QCOMPARE(paused.at(0).at(0).toBool(), true);
    QVERIFY(texts(notices).last().contains(u"only 5 session starts"_s));
    QVERIFY(hold.holdsBack(0));
    hold.pauseForBudget(4, 8); // already paused: once is enough
    QCOMPARE(paused.size(), 1);

    // While paused: 0 exited and was held back, 1 too but a fatal close code blocks it, 2 runs.
    engine.processes[0].m_state = ProcessState::Exited;
    engine.processes[0].exit.restartHeldBack = u"automatic restarts are paused"_s;
    engine.processes[1].m_state = ProcessState::Exited;
    engine.processes[1].exit.restartHeldBack = u"closed with 4004"_s;
    engine.processes[1].block = u"closed with 4004"_s;
    engine.processes[2].m_state = ProcessState::Running;
    hold.resume();
    QVERIFY(!hold.isPaused());
    QCOMPARE(engine.pausedCalls, (QList<bool> {true, false}));
    QCOMPARE(engine.started, QList<int> {0});
    QCOMPARE(paused.size(), 2);
    QCOMPARE(paused.at(1).at(0).toBool(), false);
    QVERIFY(!hold.holdsBack(0));
    QVERIFY(hold.holdsBack(1)); // still blocked
    hold.resume(); // not paused: nothing
    QCOMPARE(paused.size(), 2);
}

void TestPolicies::holdBlocksAProcessOnAFatalCloseCode()
{
    FakeEngine engine(2);
    RestartHold hold({engine.count(), engine.view(), [](bool) {},
                      [&engine](int i, const QString &reason) {
        engine.blocked.append({i, reason});
        engine.processes[size_t(i)].block = reason;
                      },
                      [&engine](int i) { engine.started << i; }});
    QSignalSpy notices(&hold, &RestartHold::notice);
    ShardState state;
    state.shard = 3;
    state.state = u"closed"_s;
    state.closeCode = 4000; // unknown error: Discord says reconnect
    hold.onShardState(1, state);
    state.state = u"reconnecting"_s;
    state.closeCode = 4004;
    hold.onShardState(1, state);
    QVERIFY(engine.blocked.isEmpty());

    state.state = u"closed"_s;
    hold.onShardState(1, state); // authentication failed: never retry
    QCOMPARE(engine.blocked.size(), 1);
    QCOMPARE(engine.blocked.at(0).first, 1);
    QVERIFY(engine.blocked.at(0).second.contains(u"4004"_s));
    QVERIFY(hold.holdsBack(1));
    QVERIFY(!hold.holdsBack(0));
    QVERIFY(texts(notices).last().startsWith(u"process 1 will not be restarted automatically"_s));
    hold.onShardState(1, state); // another shard of it, same code: already blocked
    QCOMPARE(engine.blocked.size(), 1);
    QCOMPARE(notices.size(), 1);
}

void TestPolicies::memoryRestartOnlyWhenRunningAndNotHeldBack()
{
    FakeEngine engine(2);
    bool heldBack = false;
    ResourceMonitor monitor;
    MemoryRestart memory(&monitor,
                         {engine.view(), [&heldBack](int) { return heldBack; },
                          [&engine](int i) { engine.restarted << i; }});
    memory.setDelay(30000);
    memory.setLimit(200000000);
    QSignalSpy notices(&memory, &MemoryRestart::notice);

    engine.processes[0].m_state = ProcessState::Stopping; // on its way down already
    memory.onOverLimit(0, 300000000);
    memory.onOverLimit(7, 300000000); // gone since
    QVERIFY(engine.restarted.isEmpty());
    QCOMPARE(notices.size(), 0);

    engine.processes[1].m_state = ProcessState::Running;
    heldBack = true;
    memory.onOverLimit(1, 300000000);
    QVERIFY(engine.restarted.isEmpty());
    QCOMPARE(texts(notices).last(),
             u"process 1 has used 300 MB for 30 s, over memoryLimit (200 MB); "
             "not restarting it while automatic restarts are held back"_s);

    heldBack = false;
    memory.onOverLimit(1, 300000000);
    QCOMPARE(engine.restarted, QList<int> {1});
    QCOMPARE(texts(notices).last(),
             u"process 1 has used 300 MB for 30 s, over memoryLimit (200 MB): "
             "restarting it (memoryRestart)"_s);
}

QTEST_GUILESS_MAIN(TestPolicies)
#include "tst_policies.moc"
