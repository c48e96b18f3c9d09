// Tests the shard-manager binary where the machine, not the profile, is at fault: --check lists
// every problem at once, including what would only fail at the start (a log file this user may
// not write, checked as an unprivileged user); a log file system that refuses writes for a while
// costs counted lines, never a merged one; a Discord failure is one event, not two; a chatty
// bot's IPC does not flood stderr, and what it does not show is counted.

#include "fakediscord.h"
#include "managerprocess.h"
#include "processutil.h"
#include "testbot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <numeric>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

class TestHeadlessFaults : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void checkListsEveryProblem();
    void checkRefusesLogFileItMayNotWrite();
    void refusedLogWritesAreCountedNeverMerged();
    void gatewayFailureIsOneEvent();
    void stdinWaitsWhileChildrenDoNotRead();
    void chattyIpcIsCountedNotFlooded();

private:
    TestBot m_bot {{{u"maxShards"_s, 1}}};
};

void TestHeadlessFaults::initTestCase()
{
    QVERIFY(m_bot.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable());
}

void TestHeadlessFaults::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
}

void TestHeadlessFaults::checkListsEveryProblem()
{
    // Problems of parsing (a wrong type, an unknown key) and of validation together.
    const QString path = m_bot.write({{u"port"_s, u"x"_s},
                                      {u"colour"_s, u"red"_s},
                                      {u"maxShards"_s, 0},
                                      {u"logFile"_s, u"bot.lua/shards.log"_s},
                                      {u"timestamp"_s, QString(5000, u'x')},
                                      {u"arguments"_s, QJsonArray {QString(200000, u'a')}}});
    Manager m({u"--check"_s, path});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 2);
    for (const QString &key :
         {u"port"_s, u"colour"_s, u"maxShards"_s, u"logFile"_s, u"timestamp"_s, u"arguments"_s})
        QVERIFY2(m.err().contains(path + u": "_s + key + u": "_s),
                 qPrintable(key + u": "_s + m.err()));
    // The port that did not parse is reported once, as it was written, not again as its default.
    QCOMPARE(m.err().count(u": port: "_s), 1);
    QVERIFY(!m.lines().join(u'\n').contains(u"valid"_s));
}

void TestHeadlessFaults::checkRefusesLogFileItMayNotWrite()
{
    // Root may write anywhere: run the check as nobody, who may not write in a folder of root's.
    QStringList wrapper;
    if (geteuid() == 0) {
        const QString setpriv = QStandardPaths::findExecutable(u"setpriv"_s);
        if (setpriv.isEmpty())
            QSKIP("running as root without setpriv (util-linux) to become nobody");
        wrapper = {setpriv, u"--reuid=nobody"_s, u"--regid=nogroup"_s, u"--clear-groups"_s};
        QProcess probe;
        probe.start(setpriv, wrapper.mid(1) << QStringLiteral(SHARDMANAGER_PATH) << u"--version"_s);
        if (!probe.waitForFinished(10000) || probe.exitCode() != 0)
            QSKIP("nobody cannot run the build's shard-manager (a folder on its path is private)");
    }
    const auto everyone = QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther;
    QVERIFY(QFile::setPermissions(m_bot.path(), everyone | QFile::WriteOwner));
    QVERIFY(QDir(m_bot.path()).mkpath(u"locked"_s));
    const QString locked = m_bot.filePath(u"locked"_s);
    QFile existing(m_bot.filePath(u"locked/existing.log"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    QVERIFY(QFile::setPermissions(existing.fileName(), QFile::ReadOwner | QFile::ReadOther));
    QVERIFY(QFile::setPermissions(locked, everyone));

    for (const QString &log :
         {u"locked/shards.log"_s, u"locked/new/deeper/shards.log"_s, u"locked/existing.log"_s}) {
        const QString path = m_bot.write({{u"logFile"_s, log}});
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        QProcess check;
        QStringList command = wrapper;
        command << QStringLiteral(SHARDMANAGER_PATH) << u"--check"_s << path;
        check.start(command.takeFirst(), command);
        QVERIFY(check.waitForFinished(10000));
        const QString err = QString::fromUtf8(check.readAllStandardError());
        QVERIFY2(check.exitCode() == 2, qPrintable(log + u": "_s + err));
        QVERIFY2(err.contains(path + u": logFile: "_s), qPrintable(err));
        QVERIFY2(err.contains(u"may not write"_s) || err.contains(u"cannot be written"_s),
                 qPrintable(err));
    }
    // --check looks, and creates nothing.
    QCOMPARE(QDir(locked).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList {u"existing.log"_s});
    QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestHeadlessFaults::refusedLogWritesAreCountedNeverMerged()
{
    const int total = 200000;
    const QString log = m_bot.filePath(u"refused.log"_s);
    const QString path = m_bot.write(
        {{u"logFile"_s, log},
         {u"timestamp"_s, u"T"_s}, // no conversion: every line is known to the byte
         {u"interpreterArgs"_s, QJsonArray {u"--rate=50000"_s, u"--lines=%1"_s.arg(total)}}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SHARD_MANAGER_LOG_BACKLOG"_s, u"256KiB"_s); // to see lines dropped soon
    Manager m({u"--headless"_s, path}, true, env);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(log).size() > 0, 10000);

    // The manager's file size limit stands in for a full disk: the write that reaches it goes
    // through in part, the rest fail with EFBIG.
    const pid_t pid = pid_t(m.process().processId());
    rlimit saved {};
    QCOMPARE(prlimit(pid, RLIMIT_FSIZE, nullptr, &saved), 0);
    rlimit limit = saved;
    limit.rlim_cur = rlim_t(QFileInfo(log).size() + 10);
    QCOMPARE(prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0);
    const QString reason = QString::fromLocal8Bit(std::strerror(EFBIG));
    QTRY_VERIFY2_WITH_TIMEOUT(m.err().contains(u"cannot write log file %1: %2"_s.arg(log, reason)),
                              qPrintable(m.err()), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(m.err().contains(u"dropping the oldest"_s), qPrintable(m.err()),
                              10000);
    QCOMPARE(prlimit(pid, RLIMIT_FSIZE, &saved, nullptr), 0);

    const QRegularExpression recovered(
        u"log file %1 writable again; (\\d+) lines could not be written: %2"_s.arg(
            QRegularExpression::escape(log), QRegularExpression::escape(reason)));
    QTRY_VERIFY2_WITH_TIMEOUT(recovered.match(m.err()).hasMatch(), qPrintable(m.err()), 10000);
    const qint64 dropped = recovered.match(m.err()).captured(1).toLongLong();
    QVERIFY(dropped > 0);
    QTRY_VERIFY2_WITH_TIMEOUT(m.err().contains(u"exit code 0"_s), qPrintable(m.err()), 30000);
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);

    // Every line whole and in order; the gap told of in its place, with the count reported.
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(text.endsWith('\n'));
    const QRegularExpression marker(
        u"^T \\| \\[shard-manager\\] (\\d+) lines? could not be written: "_s
        + QRegularExpression::escape(reason) + u'$');
    qint64 next = 1, counted = 0;
    for (const QByteArray &line : text.chopped(1).split('\n')) {
        if (line == "T | Shards 0 to 0 | line " + QByteArray::number(next)) {
            ++next;
            continue;
        }
        const auto gap = marker.match(QString::fromUtf8(line));
        QVERIFY2(gap.hasMatch(),
                 qPrintable(u"after line %1: "_s.arg(next - 1) + QString::fromUtf8(line)));
        next += gap.captured(1).toLongLong();
        counted += gap.captured(1).toLongLong();
    }
    QCOMPARE(next - 1, qint64(total));
    QCOMPARE(counted, dropped);
}

void TestHeadlessFaults::gatewayFailureIsOneEvent()
{
    FakeDiscord discord;
    discord.status = 401;
    const QString path = m_bot.write({{u"discordApi"_s, discord.api()}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"BOT_SECRET"_s, u"OTk5.gateway-test.AbCd"_s);
    const QString shown = u"Discord refused the token"_s;

    Manager json(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s, u"BOT_SECRET"_s, path},
        true, env);
    QTRY_COMPARE(json.events(u"gatewayError"_s).size(), 1);
    QTRY_VERIFY(json.stateSeen(0, u"running"_s));
    json.process().terminate();
    QVERIFY(json.finish());
    QCOMPARE(json.events(u"gatewayError"_s).size(), 1);
    QVERIFY(json.events(u"gatewayError"_s).first().value(u"message"_s).toString().contains(shown));
    for (const QJsonObject &o : json.events(u"notice"_s))
        QVERIFY2(!o.value(u"message"_s).toString().contains(shown),
                 qPrintable(o.value(u"message"_s).toString()));

    // Without --events json the status lines on stderr still tell of it, once.
    Manager plain({u"--headless"_s, u"--token-from-env"_s, u"BOT_SECRET"_s, path}, true, env);
    QTRY_VERIFY2(plain.err().contains(shown), qPrintable(plain.err()));
    plain.process().terminate();
    QVERIFY(plain.finish());
    QCOMPARE(plain.err().count(shown), 1);
    QVERIFY(plain.err().contains(u"Discord gateway information: "_s + shown));
}

void TestHeadlessFaults::stdinWaitsWhileChildrenDoNotRead()
{
    // One child that never reads its IPC socket while stdin pours broadcasts: stdin stops being
    // read while the socket's backlog is over the budget (issue 13: the manager read on and
    // grew to 140 MB). Once the child counts as stalled, reading goes on and the child is dropped
    // at its own limit, as before.
    const QString path = m_bot.write(
        {{u"maxShards"_s, 1},
         {u"interpreterArgs"_s, QJsonArray {u"--ipc-connect"_s, u"--ipc-noread"_s, u"--run"_s}}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_LOGGING_RULES"_s, u"shardmanager.headless.debug=true"_s);
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, path}, false, env);
    QTRY_VERIFY_WITH_TIMEOUT(!m.events(u"ipcConnections"_s).isEmpty()
                                 && m.events(u"ipcConnections"_s).last().value(u"total"_s).toInt()
                                     == 1,
                             10000);
    const QByteArray line = QByteArray(999, 'b') + '\n';
    QByteArray pour;
    for (int i = 0; i < 24 * 1024; ++i) // 24 MiB
        pour += line;
    m.process().write(pour);
    QTRY_VERIFY_WITH_TIMEOUT(m.err().contains(u"stdin paused"_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m.err().contains(u"reading stdin again"_s), 20000);
    // The child is dropped at its own limit and the rest of stdin is read.
    QTRY_VERIFY_WITH_TIMEOUT(m.events(u"ipcConnections"_s).last().value(u"total"_s).toInt() == 0
                                 && m.process().bytesToWrite() == 0,
                             30000);
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
}

void TestHeadlessFaults::chattyIpcIsCountedNotFlooded()
{
    // Without --events json each IPC message is a status line on stderr (a journal under
    // systemd): 500 in one write show the first 50 of their second, in order, and one line counts
    // the other 450, said at the second's end or, at the latest, when the manager exits.
    const QString path
        = m_bot.write({{u"maxShards"_s, 1},
                       {u"interpreterArgs"_s,
                        QJsonArray {u"--ipc-connect"_s, u"--ipc-send-many=500"_s, u"--run"_s}}});
    Manager m({u"--headless"_s, path});
    const auto shown = [&m] {
        static const QRegularExpression line(u"IPC from process 0: ipc (\\d+)\n"_s);
        QList<int> numbers;
        for (auto it = line.globalMatch(m.err()); it.hasNext();)
            numbers << it.next().captured(1).toInt();
        return numbers;
    };
    QTRY_COMPARE_WITH_TIMEOUT(shown().size(), 50, 10000);
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    QList<int> expected(50);
    std::iota(expected.begin(), expected.end(), 1);
    QCOMPARE(shown(), expected);
    QCOMPARE(m.err().count(u"450 more IPC messages in the last second not shown"_s), 1);
    QCOMPARE(m.err().count(u"more IPC message"_s), 1);
}

QTEST_GUILESS_MAIN(TestHeadlessFaults)
#include "tst_headlessfaults.moc"
