// Tests `shard-manager --export kubernetes|systemd` in the real binary: the YAML parses (PyYAML,
// Debian's python3-yaml) and holds what the profile and the command line give (replicas, memory
// per slice, grace period, probes, namespace, the slice's command line, the profile the pod
// reads); the systemd export gives each host its slice; bad input is refused with its reason.
// The schema itself is checked by tests/k8s/validate.sh in .ci/run (it needs npm).

#include "managerprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// The YAML documents as JSON, read by PyYAML's safe loader (the null before the first "---"
// left out); an empty array when it does not parse, the reason in *error.
QJsonArray parseYaml(const QByteArray &yaml, QString *error)
{
    QProcess python;
    python.start(u"python3"_s,
                 {u"-c"_s,
                  u"import json, sys, yaml\n"
                  "docs = [d for d in yaml.safe_load_all(sys.stdin) if d is not None]\n"
                  "json.dump(docs, sys.stdout)\n"_s});
    if (!python.waitForStarted(5000)) {
        *error = u"python3 did not start"_s;
        return {};
    }
    python.write(yaml);
    python.closeWriteChannel();
    if (!python.waitForFinished(20000) || python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).array();
}

QJsonObject documentOf(const QJsonArray &documents, const QString &kind)
{
    for (const QJsonValue &document : documents) {
        if (document[u"kind"_s].toString() == kind)
            return document.toObject();
    }
    return {};
}

QStringList strings(const QJsonValue &array)
{
    QStringList list;
    for (const QJsonValue &v : array.toArray())
        list << v.toString();
    return list;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void kubernetesHoldsTheProfilesValues();
    void kubernetesWithoutMemoryLimitHasNoLimits();
    void kubernetesOfTheClusterExample();
    void pathsAreTheImagesNotThisMachines();
    void autoShardsExportWithoutAPlan();
    void systemdGivesEachHostItsSlice();
    void badInputIsRefused_data();
    void badInputIsRefused();
    void invalidProfileListsItsProblems();

private:
    // A profile file named name in the temporary folder; returns its path.
    QString write(const QString &name, const QJsonObject &profile);
    // Runs the binary; stdout parsed as YAML into documents (the test fails if it does not).
    QByteArray exportYaml(const QStringList &arguments);

    QTemporaryDir m_dir;
};

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    const QJsonArray probe = parseYaml("---\na: 1\n", &error);
    QVERIFY2(probe.size() == 1,
             qPrintable(u"python3 with PyYAML is needed (Debian: python3-yaml): "_s + error));
}

QString TestExport::write(const QString &name, const QJsonObject &profile)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(profile).toJson()) < 0)
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray TestExport::exportYaml(const QStringList &arguments)
{
    ManagerProcess m(arguments);
    if (!m.finish() || m.process().exitStatus() != QProcess::NormalExit
        || m.process().exitCode() != 0) {
        qWarning("export failed: %s", qPrintable(m.err()));
        return {};
    }
    return m.lines().join(u'\n').toUtf8() + '\n';
}

void TestExport::kubernetesHoldsTheProfilesValues()
{
    // 10 shards, 2 a process: 5 processes, slices of 2 and 3 on 2 pods.
    const QString path = write(u"My Bot.json"_s,
                               {{u"file"_s, u"bot.lua"_s},
                                {u"interpreter"_s, u"luvit"_s},
                                {u"maxShards"_s, 10},
                                {u"shardsPerProcess"_s, 2},
                                {u"memoryWarn"_s, u"400MB"_s},
                                {u"memoryLimit"_s, u"500MB"_s},
                                {u"stopTimeout"_s, 12500},
                                {u"logFile"_s, u"logs/bot.log"_s}});
    const QByteArray yaml
        = exportYaml({u"--export"_s, u"kubernetes"_s, path, u"--replicas"_s, u"2"_s,
                      u"--namespace"_s, u"bots"_s, u"--image"_s, u"registry.example/bot:7"_s});
    QString error;
    const QJsonArray documents = parseYaml(yaml, &error);
    QVERIFY2(documents.size() == 3, qPrintable(error + QString::fromUtf8(yaml)));
    for (const QJsonValue &document : documents) {
        QCOMPARE(document[u"metadata"_s][u"namespace"_s].toString(), u"bots"_s);
        QCOMPARE(document[u"metadata"_s][u"labels"_s][u"app.kubernetes.io/instance"_s].toString(),
                 u"my-bot"_s);
    }

    const QJsonObject map = documentOf(documents, u"ConfigMap"_s);
    QCOMPARE(map[u"metadata"_s][u"name"_s].toString(), u"my-bot-profile"_s);
    const QJsonObject podProfile
        = QJsonDocument::fromJson(map[u"data"_s][u"profile.json"_s].toString().toUtf8()).object();
    QCOMPARE(podProfile[u"maxShards"_s].toInt(), 10);
    QCOMPARE(podProfile[u"memoryLimit"_s].toString(), u"500MB"_s);
    QCOMPARE(podProfile[u"file"_s].toString(), u"/bot/bot.lua"_s);
    QCOMPARE(podProfile[u"logFile"_s].toString(), u"/var/log/shard-manager/bot.log"_s);

    const QJsonObject service = documentOf(documents, u"Service"_s);
    QCOMPARE(service[u"spec"_s][u"clusterIP"_s].toString(), u"None"_s);
    QCOMPARE(service[u"spec"_s][u"ports"_s][0][u"port"_s].toInt(), 9464);

    const QJsonObject set = documentOf(documents, u"StatefulSet"_s);
    const QJsonValue spec = set[u"spec"_s];
    QCOMPARE(spec[u"replicas"_s].toInt(), 2);
    QCOMPARE(spec[u"podManagementPolicy"_s].toString(), u"OrderedReady"_s);
    QCOMPARE(spec[u"serviceName"_s].toString(), service[u"metadata"_s][u"name"_s].toString());
    const QJsonValue pod = spec[u"template"_s][u"spec"_s];
    // ceil(12.5 s) + 30 s.
    QCOMPARE(pod[u"terminationGracePeriodSeconds"_s].toInt(), 43);
    const QJsonValue annotations = spec[u"template"_s][u"metadata"_s][u"annotations"_s];
    QCOMPARE(annotations[u"prometheus.io/scrape"_s].toString(), u"true"_s);
    QCOMPARE(annotations[u"prometheus.io/port"_s].toString(), u"9464"_s);
    QCOMPARE(annotations[u"prometheus.io/path"_s].toString(), u"/metrics"_s);

    const QJsonValue container = pod[u"containers"_s][0];
    QCOMPARE(container[u"image"_s].toString(), u"registry.example/bot:7"_s);
    QCOMPARE(strings(container[u"command"_s]),
             (QStringList {u"shard-manager"_s, u"--headless"_s, u"--no-echo"_s, u"--token-file"_s,
                           u"/run/secrets/shard-manager/token"_s, u"--cluster-index"_s, u"auto"_s,
                           u"--cluster-size"_s, u"2"_s, u"--metrics"_s, u"0.0.0.0:9464"_s,
                           u"/config/profile.json"_s}));
    // 500 MB x 3 processes (the larger slice) + 64 MiB = 1494.5 MiB, rounded up.
    QCOMPARE(container[u"resources"_s][u"requests"_s][u"memory"_s].toString(), u"1495Mi"_s);
    QCOMPARE(container[u"resources"_s][u"limits"_s][u"memory"_s].toString(), u"1495Mi"_s);
    QCOMPARE(
        strings(container[u"readinessProbe"_s][u"exec"_s][u"command"_s]),
        (QStringList {u"shard-manager"_s, u"--status"_s, u"--ready"_s, u"/config/profile.json"_s}));
    QCOMPARE(strings(container[u"livenessProbe"_s][u"exec"_s][u"command"_s]),
             (QStringList {u"shard-manager"_s, u"--status"_s, u"/config/profile.json"_s}));
    QCOMPARE(container[u"env"_s][0][u"name"_s].toString(), u"XDG_RUNTIME_DIR"_s);

    // Every path the service uses is a mount of a volume that exists; the token's is a Secret,
    // the runtime folder and the log folder are writable emptyDirs.
    QHash<QString, QString> mounts; // path -> volume
    for (const QJsonValue &mount : container[u"volumeMounts"_s].toArray())
        mounts.insert(mount[u"mountPath"_s].toString(), mount[u"name"_s].toString());
    QHash<QString, QJsonObject> volumes;
    for (const QJsonValue &volume : pod[u"volumes"_s].toArray())
        volumes.insert(volume[u"name"_s].toString(), volume.toObject());
    const QString runtime = container[u"env"_s][0][u"value"_s].toString();
    QVERIFY(volumes.value(mounts.value(runtime)).contains(u"emptyDir"_s));
    QVERIFY(volumes.value(mounts.value(u"/var/log/shard-manager"_s)).contains(u"emptyDir"_s));
    QCOMPARE(volumes.value(mounts.value(u"/run/secrets/shard-manager"_s))[u"secret"_s]
                 .toObject()[u"secretName"_s]
                 .toString(),
             u"my-bot-token"_s);
    QCOMPARE(volumes.value(mounts.value(u"/config/profile.json"_s))[u"configMap"_s]
                 .toObject()[u"name"_s]
                 .toString(),
             u"my-bot-profile"_s);
    // The Secret is not printed, only the command that makes it.
    QVERIFY(documentOf(documents, u"Secret"_s).isEmpty());
    QVERIFY(yaml.contains("kubectl create secret generic my-bot-token --from-file=token="));
}

void TestExport::kubernetesWithoutMemoryLimitHasNoLimits()
{
    const QString path = write(u"plain.json"_s, {{u"file"_s, u"bot.lua"_s}, {u"maxShards"_s, 4}});
    const QByteArray yaml
        = exportYaml({u"--export"_s, u"kubernetes"_s, path, u"--replicas"_s, u"4"_s});
    QString error;
    const QJsonArray documents = parseYaml(yaml, &error);
    QVERIFY2(documents.size() == 3, qPrintable(error));
    const QJsonObject set = documentOf(documents, u"StatefulSet"_s);
    const QJsonValue container = set[u"spec"_s][u"template"_s][u"spec"_s][u"containers"_s][0];
    QVERIFY(!container.toObject().contains(u"resources"_s));
    QVERIFY(yaml.contains("the profile sets no memoryLimit"));
    QCOMPARE(container[u"image"_s].toString(),
             u"shard-manager:"_s + QStringLiteral(SHARDMANAGER_VERSION));
    for (const QJsonValue &document : documents)
        QVERIFY(!document[u"metadata"_s].toObject().contains(u"namespace"_s));
}

void TestExport::kubernetesOfTheClusterExample()
{
    const QByteArray yaml
        = exportYaml({u"--export"_s, u"kubernetes"_s, QStringLiteral(EXAMPLES_DIR "/cluster.json"),
                      u"--replicas"_s, u"3"_s});
    QString error;
    const QJsonArray documents = parseYaml(yaml, &error);
    QVERIFY2(documents.size() == 3, qPrintable(error));
    const QJsonValue spec = documentOf(documents, u"StatefulSet"_s)[u"spec"_s];
    QCOMPARE(spec[u"replicas"_s].toInt(), 3);
    // 12 processes on 3 pods: 4 each, 1.5 GB each, + 64 MiB.
    QCOMPARE(
        spec[u"template"_s][u"spec"_s][u"containers"_s][0][u"resources"_s][u"limits"_s][u"memory"_s]
            .toString(),
        u"5787Mi"_s);
    QVERIFY(yaml.contains("cluster-2: processes 8 to 11 (shards 32 to 47)"));
}

// The bot, its interpreter and its folders are the image's: that they are missing here is no
// reason to refuse (this machine may have neither luvit nor the bot).
void TestExport::pathsAreTheImagesNotThisMachines()
{
    const QString path = write(u"elsewhere.json"_s,
                               {{u"file"_s, u"src/not-here.lua"_s},
                                {u"interpreter"_s, u"no-such-interpreter-7f3a"_s},
                                {u"workingDirectory"_s, u"/srv/bot"_s},
                                {u"maxShards"_s, 2}});
    const QByteArray yaml
        = exportYaml({u"--export"_s, u"kubernetes"_s, path, u"--replicas"_s, u"1"_s});
    QString error;
    const QJsonArray documents = parseYaml(yaml, &error);
    QVERIFY2(documents.size() == 3, qPrintable(error));
    const QJsonObject podProfile
        = QJsonDocument::fromJson(
              documentOf(documents, u"ConfigMap"_s)[u"data"_s][u"profile.json"_s]
                  .toString()
                  .toUtf8())
              .object();
    QCOMPARE(podProfile[u"file"_s].toString(), u"/bot/src/not-here.lua"_s);
    QCOMPARE(podProfile[u"workingDirectory"_s].toString(), u"/srv/bot"_s);
    QCOMPARE(podProfile[u"interpreter"_s].toString(), u"no-such-interpreter-7f3a"_s);
}

void TestExport::autoShardsExportWithoutAPlan()
{
    const QString path = write(
        u"auto.json"_s,
        {{u"file"_s, u"bot.lua"_s}, {u"maxShards"_s, u"auto"_s}, {u"memoryLimit"_s, u"2GB"_s}});
    const QByteArray yaml
        = exportYaml({u"--export"_s, u"kubernetes"_s, path, u"--replicas"_s, u"5"_s});
    QString error;
    const QJsonArray documents = parseYaml(yaml, &error);
    QVERIFY2(documents.size() == 3, qPrintable(error));
    const QJsonValue spec = documentOf(documents, u"StatefulSet"_s)[u"spec"_s];
    QCOMPARE(spec[u"replicas"_s].toInt(), 5);
    QVERIFY(
        !spec[u"template"_s][u"spec"_s][u"containers"_s][0].toObject().contains(u"resources"_s));
    QVERIFY(yaml.contains("maxShards \"auto\""));
}

void TestExport::systemdGivesEachHostItsSlice()
{
    const QString path = write(u"hosts.json"_s,
                               {{u"file"_s, u"bot.lua"_s},
                                {u"maxShards"_s, 9},
                                {u"shardsPerProcess"_s, 3},
                                {u"stopTimeout"_s, 45000}});
    ManagerProcess m({u"--export"_s, u"systemd"_s, path, u"--replicas"_s, u"3"_s});
    QVERIFY(m.finish());
    QVERIFY2(m.process().exitCode() == 0, qPrintable(m.err()));
    const QString text = m.lines().join(u'\n');
    for (int i = 0; i < 3; ++i) {
        const QString exec = u"ExecStart=/usr/bin/shard-manager --headless --token-file token "
                             "--cluster-index %1 --cluster-size 3 %f"_s.arg(i);
        QCOMPARE(text.count(exec), 1);
        QVERIFY(text.contains(
            u"# ---- host %1 of 3, processes %1 to %1 (shards %2 to %3)"_s.arg(i).arg(3 * i).arg(
                3 * i + 2)));
    }
    const QString unit = u"unit=\"shard-manager@$(systemd-escape --path %1).service\""_s.arg(
        QFileInfo(path).absoluteFilePath());
    QCOMPARE(text.count(unit), 3);
    QCOMPARE(text.count(u"systemctl --user enable --now \"$unit\""_s), 3);
    QCOMPARE(text.count(u"loginctl enable-linger"_s), 3);
    QCOMPARE(text.count(u"ExecStart=\n"_s), 3); // the drop-in replaces the unit's ExecStart
    // 45 s + 30 s, above the unit's 60 s.
    QCOMPARE(text.count(u"TimeoutStopSec=75\n"_s), 3);
    // Hosts after the first wait for the one before.
    QVERIFY(text.contains(u"--status --ready"_s));
}

void TestExport::badInputIsRefused_data()
{
    QTest::addColumn<QStringList>("arguments"); // PROFILE stands for a valid 6-process profile
    QTest::addColumn<QString>("expected"); // in the message

    QTest::newRow("unknown kind") << QStringList {
        u"--export"_s, u"helm"_s, u"PROFILE"_s, u"--replicas"_s,
        u"2"_s} << u"--export takes \"kubernetes\" or \"systemd\" (got \"helm\")"_s;
    QTest::newRow("no replicas") << QStringList {u"--export"_s, u"kubernetes"_s, u"PROFILE"_s}
                                 << u"--export needs --replicas N"_s;
    QTest::newRow("replicas 0") << QStringList {u"--export"_s, u"kubernetes"_s, u"PROFILE"_s,
                                                u"--replicas"_s, u"0"_s}
                                << u"--replicas takes a whole number from 1 (got \"0\")"_s;
    QTest::newRow("replicas text")
        << QStringList {u"--export"_s, u"systemd"_s, u"PROFILE"_s, u"--replicas"_s, u"two"_s}
        << u"--replicas takes a whole number from 1 (got \"two\")"_s;
    QTest::newRow("more pods than processes")
        << QStringList {u"--export"_s, u"kubernetes"_s, u"PROFILE"_s, u"--replicas"_s, u"7"_s}
        << u"--replicas 7 is more than the 6 processes of the plan: a pod would have no "
           "process to run"_s;
    QTest::newRow("more hosts than processes")
        << QStringList {u"--export"_s, u"systemd"_s, u"PROFILE"_s, u"--replicas"_s, u"7"_s}
        << u"a host would have no process"_s;
    QTest::newRow("image with systemd")
        << QStringList {u"--export"_s, u"systemd"_s, u"PROFILE"_s, u"--replicas"_s,
                        u"2"_s,        u"--image"_s, u"x"_s}
        << u"--image is for --export kubernetes"_s;
    QTest::newRow("bad namespace")
        << QStringList {u"--export"_s, u"kubernetes"_s,  u"PROFILE"_s, u"--replicas"_s,
                        u"2"_s,        u"--namespace"_s, u"My_Bots"_s}
        << u"--namespace takes a DNS-1123 label"_s;
    QTest::newRow("replicas without export")
        << QStringList {u"--check"_s, u"PROFILE"_s, u"--replicas"_s, u"2"_s}
        << u"--replicas is for --export"_s;
    QTest::newRow("export and headless")
        << QStringList {u"--export"_s, u"kubernetes"_s, u"--headless"_s,
                        u"PROFILE"_s,  u"--replicas"_s, u"2"_s}
        << u"--export and --headless"_s;
    QTest::newRow("two profiles") << QStringList {u"--export"_s, u"kubernetes"_s, u"PROFILE"_s,
                                                  u"PROFILE"_s,  u"--replicas"_s, u"2"_s}
                                  << u"--export takes one PROFILE"_s;
}

void TestExport::badInputIsRefused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const QString path
        = write(u"six.json"_s,
                {{u"file"_s, u"bot.lua"_s}, {u"maxShards"_s, 12}, {u"shardsPerProcess"_s, 2}});
    arguments.replaceInStrings(QRegularExpression(u"^PROFILE$"_s), path);
    ManagerProcess m(arguments);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 64);
    QVERIFY2(m.err().contains(expected), qPrintable(m.err()));
    QVERIFY(m.lines().isEmpty()); // no half of a manifest on stdout
}

void TestExport::invalidProfileListsItsProblems()
{
    const QString path = write(u"broken.json"_s,
                               {{u"file"_s, u"bot.lua"_s},
                                {u"maxShards"_s, 0},
                                {u"colour"_s, u"red"_s},
                                {u"stopTimeout"_s, u"soon"_s}});
    ManagerProcess m({u"--export"_s, u"kubernetes"_s, path, u"--replicas"_s, u"2"_s});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 2);
    QVERIFY(m.lines().isEmpty());
    const QString err = m.err();
    QVERIFY2(err.contains(path + u" cannot be exported"_s), qPrintable(err));
    for (const QString &problem :
         QStringList {path + u": colour: unknown key"_s, path + u": maxShards:"_s,
                      path + u": stopTimeout:"_s})
        QVERIFY2(err.contains(problem), qPrintable(err));

    QFile notJson(m_dir.filePath(u"not-json.json"_s));
    QVERIFY(notJson.open(QIODevice::WriteOnly));
    notJson.write("{\n  \"file\": ,\n}");
    notJson.close();
    ManagerProcess n({u"--export"_s, u"systemd"_s, notJson.fileName(), u"--replicas"_s, u"2"_s});
    QVERIFY(n.finish());
    QCOMPARE(n.process().exitCode(), 2);
    QVERIFY2(n.err().contains(u"line 2, column 11"_s), qPrintable(n.err()));
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
