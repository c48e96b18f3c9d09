// A bot's plan cut into slices (issue 15): N local services run as the N pods of a StatefulSet
// would (the same command line but --cluster-index, one shared fake /gateway/bot, each in its own
// runtime folder and IPC port as each pod has its own), each started only once the one before
// answers `--status --ready` with 0 (OrderedReady). Together their children are the one-machine
// plan, shard for shard, and no two process starts are closer than their identifies allow.

#include "fakediscord.h"
#include "managerprocess.h"
#include "testbot.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace Qt::StringLiterals;

namespace {
constexpr int kPods = 3;
constexpr int kShards = 12;
constexpr int kPerProcess = 2;
constexpr int kConcurrency = 8; // 2 shards a process: 1,250 ms between process starts
#ifdef SHARD_TEST_SANITIZED
// An instrumented child takes longer and less evenly to exec: its "started" comes later.
constexpr qint64 kSlackMs = 150;
#else
constexpr qint64 kSlackMs = 20;
#endif
} // namespace

class TestCluster : public QObject {
    Q_OBJECT

private slots:
    void podsStartInOrderAndCoverThePlan();
    void readinessProbeWaitsForEveryShard();

private:
    QProcessEnvironment podEnvironment(const QString &runtime) const;
    int statusReady(const QString &profile, const QProcessEnvironment &env) const;
};

QProcessEnvironment TestCluster::podEnvironment(const QString &runtime) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, runtime);
    env.insert(u"CLUSTER_TEST_TOKEN"_s, u"a.b.c"_s);
    return env;
}

int TestCluster::statusReady(const QString &profile, const QProcessEnvironment &env) const
{
    QProcess probe;
    probe.setProcessEnvironment(env);
    probe.start(QStringLiteral(SHARDMANAGER_PATH), {u"--status"_s, u"--ready"_s, profile});
    if (!probe.waitForFinished(10000))
        return -1;
    return probe.exitCode();
}

void TestCluster::podsStartInOrderAndCoverThePlan()
{
    FakeDiscord discord;
    discord.body = FakeDiscord::gatewayBody(kShards, 1000, 1000, kConcurrency);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    std::vector<std::unique_ptr<TestBot>> bots;
    std::vector<std::unique_ptr<Manager>> pods;
    QList<QString> profiles;
    QList<QProcessEnvironment> envs;
    QList<qint64> readyAt; // when each pod's probe first said ready (ms since the epoch)
    for (int i = 0; i < kPods; ++i) {
        // Each pod its own folder: its profile copy (its own IPC port, as a pod has its own
        // network) and runtime folder.
        TestBot &bot = *bots.emplace_back(std::make_unique<TestBot>());
        const QString profile = bot.write(
            {{u"maxShards"_s, u"auto"_s},
             {u"shardsPerProcess"_s, kPerProcess},
             {u"discordApi"_s, discord.api()},
             {u"interpreterArgs"_s,
              QJsonArray {u"--print-args"_s, u"--print-env=SHARDER_PROCESS"_s,
                          u"--print=Shard ${SHARDER_FIRST_SHARD} : Received READY"_s,
                          u"--print=Shard ${SHARDER_LAST_SHARD} : Received READY"_s, u"--run"_s}}});
        const QString runtime = root.filePath(u"pod%1"_s.arg(i));
        QVERIFY(QDir().mkpath(runtime));
        const QProcessEnvironment env = podEnvironment(runtime);
        // OrderedReady: the next pod only once this one's previous answers ready.
        if (i > 0) {
            QTRY_COMPARE_WITH_TIMEOUT(statusReady(profiles.last(), envs.last()), 0, 20000);
            readyAt.append(QDateTime::currentMSecsSinceEpoch());
        }
        pods.push_back(std::make_unique<Manager>(
            QStringList {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s,
                         u"CLUSTER_TEST_TOKEN"_s, u"--cluster-index"_s, QString::number(i),
                         u"--cluster-size"_s, QString::number(kPods), profile},
            true, env));
        profiles.append(profile);
        envs.append(env);
        // Not ready before its processes are.
        QCOMPARE(statusReady(profile, env) == 0 ? 1 : 0, 0);
    }
    QTRY_COMPARE_WITH_TIMEOUT(statusReady(profiles.last(), envs.last()), 0, 20000);
    readyAt.append(QDateTime::currentMSecsSinceEpoch());

    // The union of the children: every range of the one-machine plan once, with its global
    // process number and the shard total.
    struct Start {
        qint64 timeMs;
        int shards;
        int pod;
        int first;
    };
    QList<Start> starts;
    QSet<QString> seen;
    for (int podIndex = 0; podIndex < kPods; ++podIndex) {
        const std::unique_ptr<Manager> &pod = pods.at(podIndex);
        // Its events and lines may still be in the pipe from it: read them all first.
        const auto linesStartingWith = [&pod](const QString &prefix) {
            const QStringList output = pod->output();
            return std::count_if(output.cbegin(), output.cend(), [&prefix](const QString &line) {
                return line.startsWith(prefix);
            });
        };
        constexpr int perPod = kShards / kPerProcess / kPods;
        QTRY_COMPARE_WITH_TIMEOUT(pod->events(u"started"_s).size(), perPod, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(linesStartingWith(u"ARGV "_s), perPod, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(linesStartingWith(u"ENV SHARDER_PROCESS="_s), perPod, 5000);
        for (const QJsonObject &event : pod->events(u"started"_s))
            starts.append(
                {QDateTime::fromString(event.value(u"time"_s).toString(), Qt::ISODateWithMs)
                     .toMSecsSinceEpoch(),
                 event.value(u"last"_s).toInt() - event.value(u"first"_s).toInt() + 1, podIndex,
                 event.value(u"first"_s).toInt()});
        // SHARDER_PROCESS is the process's number in the whole plan.
        for (const QString &line : pod->output()) {
            if (line.startsWith(u"ENV SHARDER_PROCESS="_s))
                seen.insert(u"process "_s + line.mid(20));
        }
        for (const QString &line : pod->output()) {
            if (!line.startsWith(u"ARGV "_s))
                continue;
            const QJsonArray argv = QJsonDocument::fromJson(line.mid(5).toUtf8()).array();
            const int n = int(argv.size());
            // ... file port first last total
            seen.insert(u"%1-%2/%3"_s.arg(argv.at(n - 3).toString(), argv.at(n - 2).toString(),
                                          argv.at(n - 1).toString()));
        }
    }
    QSet<QString> plan;
    for (int first = 0; first < kShards; first += kPerProcess) {
        plan.insert(u"%1-%2/%3"_s.arg(first).arg(first + kPerProcess - 1).arg(kShards));
        plan.insert(u"process %1"_s.arg(first / kPerProcess));
    }
    QCOMPARE(seen, plan);

    // Identifies: each start is at least its predecessor's shards x 5 s / max_concurrency after
    // it, across pods too. The times are the "started" events' (exec done), which trail the
    // launch the pacing times by a few ms (kSlackMs of slack).
    std::sort(starts.begin(), starts.end(),
              [](const Start &a, const Start &b) { return a.timeMs < b.timeMs; });
    QCOMPARE(starts.size(), kShards / kPerProcess);
    // The timeline, for people reading the run (the closing note of issue 15 quotes it).
    const qint64 t0 = starts.first().timeMs;
    for (qsizetype i = 0; i < starts.size(); ++i) {
        const Start &s = starts.at(i);
        qInfo("+%6lld ms  pod %d starts shards %d-%d%s", s.timeMs - t0, s.pod, s.first,
              s.first + s.shards - 1,
              i == 0 ? ""
                     : qPrintable(u"  (%1 ms after the one before, %2 ms needed)"_s
                                      .arg(s.timeMs - starts.at(i - 1).timeMs)
                                      .arg(qint64(starts.at(i - 1).shards) * 5000 / kConcurrency)));
    }
    for (qsizetype i = 0; i < readyAt.size(); ++i)
        qInfo("+%6lld ms  pod %lld answers --status --ready with 0", readyAt.at(i) - t0, qint64(i));
    for (qsizetype i = 1; i < starts.size(); ++i) {
        const qint64 needed = qint64(starts.at(i - 1).shards) * 5000 / kConcurrency;
        const qint64 gap = starts.at(i).timeMs - starts.at(i - 1).timeMs;
        QVERIFY2(
            gap >= needed - kSlackMs,
            qPrintable(
                u"start %1 came %2 ms after the one before, %3 ms needed"_s.arg(i).arg(gap).arg(
                    needed)));
    }
    for (const std::unique_ptr<Manager> &pod : pods) {
        pod->sendSignal(SIGTERM);
        QVERIFY(pod->finish());
    }
}

void TestCluster::readinessProbeWaitsForEveryShard()
{
    // Two shards a process, one of which never reports ready: the probe says 1, and says 0 once
    // the child says ready over IPC instead.
    TestBot bot;
    QTemporaryDir runtime;
    const QProcessEnvironment env = podEnvironment(runtime.path());
    const QString profile = bot.write(
        {{u"maxShards"_s, 2},
         {u"shardsPerProcess"_s, 2},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=Shard 0 : Received READY"_s, u"--sleep=1500"_s, u"--ipc-connect"_s,
                      u"--ipc-hello"_s, u"--ipc-send={\"op\":\"ready\"}"_s, u"--run"_s}}});
    QCOMPARE(statusReady(profile, env), 3); // no service at all
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s,
                     u"CLUSTER_TEST_TOKEN"_s, profile},
                    true, env);
    QTRY_VERIFY(!service.output().isEmpty()); // shard 0 said ready, shard 1 has not
    QCOMPARE(statusReady(profile, env), 1);
    QTRY_COMPARE_WITH_TIMEOUT(statusReady(profile, env), 0, 10000);
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
