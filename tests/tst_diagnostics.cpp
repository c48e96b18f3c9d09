// Tests the logging categories as a bug report would use them: with
// QT_LOGGING_RULES="shardmanager.*=true" the headless manager says on stderr what it decided
// (a process started, an IPC connection accepted, the log file opened), never the token nor a
// child's line; without the rule it says none of that.

#include "managerprocess.h"
#include "processutil.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// Built from pieces, so the whole token appears nowhere in this file's text either.
const QString kToken = u"diag"_s + u"-token-"_s + u"7c1f93"_s;
const QString kChildLine = u"child line 5d0e"_s;
} // namespace

class TestDiagnostics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void categoriesOnSayWhatHappened();
    void categoriesOffByDefault();

private:
    // Runs the profile headless until process 0 has connected over IPC, then stops it; returns
    // the manager's stderr.
    QString run(const QString &rules);

    QTemporaryDir m_dir;
    QString m_profile;
};

void TestDiagnostics::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile bot(m_dir.filePath(u"bot.lua"_s));
    QVERIFY(bot.open(QIODevice::WriteOnly));
    const QJsonObject profile {
        {u"file"_s, u"bot.lua"_s},
        {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)},
        {u"port"_s, ProcessUtil::freePort()},
        {u"interpreterArgs"_s,
         QJsonArray {QString(u"--print="_s + kChildLine), u"--print=token ${DISCORD_TOKEN}"_s,
                     u"--ipc-connect"_s, u"--ipc-hello"_s, u"--ipc-send=CONNECTED"_s, u"--run"_s}},
        {u"maxShards"_s, 1},
        {u"waitTime"_s, 0},
        {u"autoRestart"_s, false},
        {u"silent"_s, false},
        {u"logFile"_s, u"diag.log"_s},
        {u"stopTimeout"_s, 5000}};
    m_profile = m_dir.filePath(u"profile.json"_s);
    QFile f(m_profile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(profile).toJson());
}

QString TestDiagnostics::run(const QString &rules)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"QT_LOGGING_RULES"_s);
    env.remove(u"QT_MESSAGE_PATTERN"_s);
    env.remove(u"QT_LOGGING_CONF"_s);
    env.insert(u"QT_FORCE_STDERR_LOGGING"_s, u"1"_s); // not the journal, even without a terminal
    if (!rules.isEmpty())
        env.insert(u"QT_LOGGING_RULES"_s, rules);
    env.insert(u"DIAG_TOKEN"_s, kToken);
    Manager m({u"--headless"_s, u"--token-from-env"_s, u"DIAG_TOKEN"_s, m_profile}, false, env);
    // The IPC message is the last thing the child does before running: by then it has connected
    // and its lines have been echoed.
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(m.err().contains(u"IPC from process 0: CONNECTED"_s), 10000);
        }();
    [&] { QTRY_VERIFY(m.lines().contains(u"Shards 0 to 0 | "_s + kChildLine)); }();
    m.process().terminate();
    [&] { QVERIFY(m.finish()); }();
    [&] { QCOMPARE(m.process().exitCode(), 0); }();
    return m.err();
}

void TestDiagnostics::categoriesOnSayWhatHappened()
{
    const QString err = run(u"shardmanager.*=true"_s);
    QVERIFY(!QTest::currentTestFailed());
    for (const QString &category :
         {u"shardmanager.process: "_s, u"shardmanager.ipc: "_s, u"shardmanager.output: "_s,
          u"shardmanager.engine: "_s, u"shardmanager.headless: "_s, u"shardmanager.profile: "_s})
        QVERIFY2(err.contains(category), qPrintable(category));
    QVERIFY(err.contains(u"started, pid"_s));
    // What the categories say is the manager's, not the child's; and never the secret.
    QVERIFY(!err.contains(kChildLine));
    QVERIFY(!err.contains(kToken));
}

void TestDiagnostics::categoriesOffByDefault()
{
    const QString err = run(QString());
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(!err.isEmpty()); // the status lines are there
    QVERIFY(!err.contains(u"shardmanager."_s));
}

QTEST_GUILESS_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
