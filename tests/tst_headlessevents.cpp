// Every kind of line `--headless --events json` writes (README, DESIGN §4), each made to happen
// by a real run of the shard-manager binary with fakeshard children and, for Discord's figures,
// the fake Discord HTTP server: the process events (started, output, errorOutput, exited, state,
// stats) and those of the whole run (gateway, autoRestarts, shardState, startFailed, notice,
// logError), with their fields.

#include "fakediscord.h"
#include "managerprocess.h"
#include "processutil.h"
#include "testbot.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

using namespace Qt::StringLiterals;
using ProcessUtil::isGone;

namespace {

// A token for the runs that ask the fake Discord; never printed.
const QString kSecretVariable = u"BOT_SECRET"_s;

QProcessEnvironment withToken()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(kSecretVariable, u"OTk5.events-test.AbCd"_s);
    return env;
}

QStringList jsonRun(const QString &path, bool token)
{
    QStringList args {u"--headless"_s, u"--events"_s, u"json"_s};
    if (token)
        args << u"--token-from-env"_s << kSecretVariable;
    return args << path;
}

// An event of the whole run, not of one process: no process, first or last.
bool isRunEvent(const QJsonObject &o)
{
    return !o.contains(u"process"_s) && !o.contains(u"first"_s) && !o.contains(u"last"_s)
        && o.value(u"time"_s).isString();
}

QStringList messages(const QList<QJsonObject> &events)
{
    QStringList list;
    for (const QJsonObject &o : events)
        list << o.value(u"message"_s).toString();
    return list;
}

} // namespace

class TestHeadlessEvents : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void jsonEvents();
    void statsEventsCarryMemory();
    void gatewayEventCarriesDiscordsFigures();
    void autoRestartsEventsTellPauseAndResume();
    void shardStateEventsFollowTheBotsLines();
    void startFailedWhenDiscordDoesNotSayHowMany();
    void logErrorWhenTheLogFileRefusesWrites();

private:
    TestBot m_bot;
};

void TestHeadlessEvents::initTestCase()
{
    QVERIFY(m_bot.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable());
}

void TestHeadlessEvents::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestHeadlessEvents::jsonEvents()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 4},
         {u"shardsPerProcess"_s, 2},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=hello"_s, u"--stderr=warn"_s, u"--pid"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path});
    QTRY_COMPARE(m.childPids().size(), 2);
    QTRY_COMPARE(m.events(u"errorOutput"_s).size(), 2);
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);

    const QList<QJsonObject> all = m.events();
    QVERIFY(!all.isEmpty());
    for (const QJsonObject &o : all) {
        QVERIFY2(!o.contains(u"unparsable"_s), qPrintable(o.value(u"unparsable"_s).toString()));
        QVERIFY(o.value(u"event"_s).isString());
        QVERIFY(o.value(u"time"_s).isString());
    }

    // Process events carry the process and its range.
    const QList<std::pair<int, int>> ranges {{0, 1}, {2, 3}};
    for (const QString &name :
         {u"started"_s, u"output"_s, u"errorOutput"_s, u"exited"_s, u"state"_s}) {
        const QList<QJsonObject> list = m.events(name);
        QVERIFY2(!list.isEmpty(), qPrintable(name));
        for (const QJsonObject &o : list) {
            const int process = o.value(u"process"_s).toInt(-1);
            QVERIFY2(process == 0 || process == 1, qPrintable(name));
            QCOMPARE(o.value(u"first"_s).toInt(-1), ranges.at(process).first);
            QCOMPARE(o.value(u"last"_s).toInt(-1), ranges.at(process).second);
        }
    }

    QList<qint64> startedPids;
    for (const QJsonObject &o : m.events(u"started"_s))
        startedPids << qint64(o.value(u"pid"_s).toDouble());
    QList<qint64> printed = m.childPids();
    std::sort(startedPids.begin(), startedPids.end());
    std::sort(printed.begin(), printed.end());
    QCOMPARE(startedPids, printed);

    for (int process : {0, 1}) {
        QVERIFY(m.output(process).contains(u"hello"_s));
        QVERIFY(m.stateSeen(process, u"running"_s));
        QVERIFY(m.stateSeen(process, u"stopping"_s));
        QVERIFY(m.stateSeen(process, u"stopped"_s));
    }
    for (const QJsonObject &o : m.events(u"errorOutput"_s))
        QCOMPARE(o.value(u"line"_s).toString(), u"warn"_s);
    const QList<QJsonObject> exited = m.events(u"exited"_s);
    QCOMPARE(exited.size(), 2);
    for (const QJsonObject &o : exited) {
        QCOMPARE(o.value(u"requested"_s).toBool(), true);
        QCOMPARE(o.value(u"code"_s).toInt(-1), 0);
        QVERIFY(o.value(u"signal"_s).isNull());
        QCOMPARE(o.value(u"restart"_s).toBool(), false);
    }
    for (qint64 pid : std::as_const(printed))
        QVERIFY(isGone(pid));
}

void TestHeadlessEvents::statsEventsCarryMemory()
{
    const QString path = m_bot.write(
        {{u"maxShards"_s, 2}, {u"interpreterArgs"_s, QJsonArray {u"--alloc=32"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, u"--stats-interval"_s, u"0.5"_s, path});
    // Two rounds, so the second has CPU figures measured over a whole interval.
    QTRY_VERIFY(m.events(u"stats"_s).size() >= 4);
    const QList<QJsonObject> stats = m.events(u"stats"_s);
    for (const QJsonObject &o :
         stats.mid(stats.size() - 2)) { // the latest round: allocated by then
        const int process = o.value(u"process"_s).toInt(-1);
        QVERIFY(process == 0 || process == 1);
        QCOMPARE(o.value(u"first"_s).toInt(-1), process);
        QVERIFY(o.value(u"pid"_s).toDouble() > 0);
        QVERIFY2(o.value(u"rss"_s).toDouble() >= 32.0 * 1024 * 1024,
                 qPrintable(QString::number(o.value(u"rss"_s).toDouble())));
        QVERIFY(o.value(u"cpu"_s).isDouble());
        QVERIFY(o.value(u"threads"_s).toInt() >= 1);
    }
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    Manager bad(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--stats-interval"_s, u"never"_s, path});
    QVERIFY(bad.finish());
    QCOMPARE(bad.process().exitCode(), 64);
}

void TestHeadlessEvents::gatewayEventCarriesDiscordsFigures()
{
    FakeDiscord discord;
    discord.body = FakeDiscord::gatewayBody(3, 987, 1000, 16);
    const QString path = m_bot.write({{u"maxShards"_s, 1}, {u"discordApi"_s, discord.api()}});
    Manager m(jsonRun(path, true), true, withToken());
    QTRY_COMPARE(m.events(u"gateway"_s).size(), 1);
    QTRY_VERIFY(m.stateSeen(0, u"running"_s));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    QCOMPARE(discord.requests.size(), 1);
    QVERIFY(discord.requests.first().startsWith("GET /api/v10/gateway/bot "));
    QCOMPARE(m.events(u"gateway"_s).size(), 1);
    const QJsonObject o = m.events(u"gateway"_s).first();
    QVERIFY(isRunEvent(o));
    QCOMPARE(o.value(u"shards"_s).toInt(-1), 3);
    QCOMPARE(o.value(u"sessionRemaining"_s).toInt(-1), 987);
    QCOMPARE(o.value(u"sessionTotal"_s).toInt(-1), 1000);
    QCOMPARE(o.value(u"resetAfterMs"_s).toDouble(-1), 3600000.0);
    QCOMPARE(o.value(u"maxConcurrency"_s).toInt(-1), 16);
    QVERIFY(m.events(u"gatewayError"_s).isEmpty());
    QVERIFY(m.events(u"autoRestarts"_s).isEmpty()); // 987 starts left: nothing to pause
}

// Discord says one session start is left, under the guard's two (twice the shards): automatic
// restarts pause, with the reason as a notice too; SIGUSR1 resumes them.
void TestHeadlessEvents::autoRestartsEventsTellPauseAndResume()
{
    FakeDiscord discord;
    discord.body = FakeDiscord::gatewayBody(1, 1);
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1}, {u"autoRestart"_s, true}, {u"discordApi"_s, discord.api()}});
    Manager m(jsonRun(path, true), true, withToken());
    QTRY_COMPARE(m.events(u"autoRestarts"_s).size(), 1);
    const QJsonObject paused = m.events(u"autoRestarts"_s).first();
    QVERIFY(isRunEvent(paused));
    QCOMPARE(paused.value(u"paused"_s).toBool(false), true);
    const QString reason = paused.value(u"reason"_s).toString();
    const QRegularExpressionMatch left
        = QRegularExpression(
              u"^only (-?\\d+) session starts \\(identifies\\) left today, under the guard's 2:"_s)
              .match(reason);
    QVERIFY2(left.hasMatch(), qPrintable(reason));
    // What the event says is left is what the reason says: the one start, or none once this
    // run's own start is counted.
    QVERIFY(paused.value(u"identifyBudget"_s).isDouble());
    QCOMPARE(paused.value(u"identifyBudget"_s).toInt(), left.captured(1).toInt());
    QVERIFY(paused.value(u"identifyBudget"_s).toInt() <= 1);
    QVERIFY2(messages(m.events(u"notice"_s)).contains(reason),
             qPrintable(messages(m.events(u"notice"_s)).join(u'\n')));

    m.sendSignal(SIGUSR1);
    QTRY_COMPARE(m.events(u"autoRestarts"_s).size(), 2);
    const QJsonObject resumed = m.events(u"autoRestarts"_s).at(1);
    QVERIFY(isRunEvent(resumed));
    QCOMPARE(resumed.value(u"paused"_s).toBool(true), false);
    QCOMPARE(resumed.value(u"reason"_s).toString(u"missing"_s), QString());
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    QCOMPARE(m.events(u"autoRestarts"_s).size(), 2);
}

// The bot's "Shard N : ..." lines (luvit's Discordia) become shardState events of the process
// that printed them; a close code Discord says not to retry also holds the process's restarts
// back, told as a notice.
void TestHeadlessEvents::shardStateEventsFollowTheBotsLines()
{
    const QString path = m_bot.write(
        {{u"shardsPerProcess"_s, 2},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=Shard 1 : Received READY"_s, u"--print=not a shard line"_s,
                      u"--print=Shard 0 : 4004 - Authentication failed"_s, u"--print=done"_s,
                      u"--run"_s}}});
    Manager m(jsonRun(path, false), true);
    QTRY_VERIFY(m.output(0).contains(u"done"_s));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    const QList<QJsonObject> states = m.events(u"shardState"_s);
    QCOMPARE(states.size(), 2);
    for (const QJsonObject &o : states) {
        QCOMPARE(o.value(u"process"_s).toInt(-1), 0);
        QCOMPARE(o.value(u"first"_s).toInt(-1), 0);
        QCOMPARE(o.value(u"last"_s).toInt(-1), 1);
    }
    QCOMPARE(states.at(0).value(u"shard"_s).toInt(-1), 1);
    QCOMPARE(states.at(0).value(u"state"_s).toString(), u"ready"_s);
    QCOMPARE(states.at(0).value(u"detail"_s).toString(), u"Received READY"_s);
    QVERIFY(!states.at(0).contains(u"closeCode"_s));
    QCOMPARE(states.at(1).value(u"shard"_s).toInt(-1), 0);
    QCOMPARE(states.at(1).value(u"state"_s).toString(), u"closed"_s);
    QCOMPARE(states.at(1).value(u"closeCode"_s).toInt(-1), 4004);
    QCOMPARE(states.at(1).value(u"detail"_s).toString(), u"Authentication failed"_s);

    const QStringList notices = messages(m.events(u"notice"_s));
    QCOMPARE(notices.filter(u"will not be restarted automatically"_s).size(), 1);
    QVERIFY2(notices.contains(u"process 0 will not be restarted automatically: shard 0 was closed "
                              "with 4004 (authentication failed: the token is wrong or was reset), "
                              "which Discord says not to retry"_s),
             qPrintable(notices.join(u'\n')));
    for (const QJsonObject &o : m.events(u"notice"_s))
        QVERIFY(isRunEvent(o));
}

// maxShards "auto" asks Discord first; when Discord refuses, nothing starts and the run ends.
void TestHeadlessEvents::startFailedWhenDiscordDoesNotSayHowMany()
{
    FakeDiscord discord;
    discord.status = 401;
    const QString path
        = m_bot.write({{u"maxShards"_s, u"auto"_s}, {u"discordApi"_s, discord.api()}});
    Manager m(jsonRun(path, true), true, withToken());
    // Not finish(): its blocking wait would keep the fake Discord, in this process, from answering.
    QTRY_VERIFY_WITH_TIMEOUT(!m.running(), 10000);
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 1);

    const QList<QJsonObject> failed = m.events(u"startFailed"_s);
    QCOMPARE(failed.size(), 1);
    QVERIFY(isRunEvent(failed.first()));
    const QString message = failed.first().value(u"message"_s).toString();
    QVERIFY2(message.startsWith(u"maxShards is \"auto\" but Discord did not say how many: "_s),
             qPrintable(message));
    QVERIFY2(message.contains(u"Discord refused the token"_s), qPrintable(message));
    QVERIFY(m.events(u"started"_s).isEmpty());
    QCOMPARE(discord.requests.size(), 1);

    // Said first: why the start waits.
    const QList<QJsonObject> all = m.events();
    const auto asking = std::find_if(all.begin(), all.end(), [](const QJsonObject &o) {
        return o.value(u"event"_s).toString() == u"notice"_s
            && o.value(u"message"_s).toString()
            == u"asking Discord for the recommended shard count…"_s;
    });
    QVERIFY2(asking != all.end(), qPrintable(messages(m.events(u"notice"_s)).join(u'\n')));
    QVERIFY(isRunEvent(*asking));
    QVERIFY(asking < std::find(all.begin(), all.end(), failed.first()));
}

// /dev/full accepts the log file's opening and refuses every write (ENOSPC).
void TestHeadlessEvents::logErrorWhenTheLogFileRefusesWrites()
{
    const QString path
        = m_bot.write({{u"maxShards"_s, 1},
                       {u"logFile"_s, u"/dev/full"_s},
                       {u"interpreterArgs"_s, QJsonArray {u"--print=to the log"_s, u"--run"_s}}});
    Manager m(jsonRun(path, false), true);
    const QString reason = QString::fromLocal8Bit(std::strerror(ENOSPC));
    QTRY_VERIFY(!m.events(u"logError"_s).isEmpty());
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    const QList<QJsonObject> errors = m.events(u"logError"_s);
    for (const QJsonObject &o : errors)
        QVERIFY(isRunEvent(o));
    QCOMPARE(errors.first().value(u"message"_s).toString(),
             u"cannot write log file /dev/full: "_s + reason);
    // The lines that never reached it are counted when the run ends.
    QVERIFY2(messages(errors).last().contains(
                 QRegularExpression(u"^log file /dev/full: \\d+ lines? could not be written: "_s
                                    + QRegularExpression::escape(reason) + u'$')),
             qPrintable(messages(errors).join(u'\n')));
    // Each problem once, as logError, not again as a notice.
    for (const QString &notice : messages(m.events(u"notice"_s)))
        QVERIFY2(!notice.contains(u"/dev/full"_s), qPrintable(notice));
}

QTEST_GUILESS_MAIN(TestHeadlessEvents)
#include "tst_headlessevents.moc"
