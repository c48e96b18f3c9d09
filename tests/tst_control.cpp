// Tests the service's control socket with the real binary: `--status` reads a running service
// (and says 3 when none runs), a second `--headless` on the same profile refuses to start while
// the first goes on, the socket and its folder are this user's alone, a socket left by a killed
// service is replaced, and a peer of another user id is refused.

#include "managerprocess.h"
#include "testbot.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestControl : public QObject {
    Q_OBJECT

private slots:
    void init();
    void statusReadsTheRunningService();
    void secondServiceOnTheProfileIsRefused();
    void socketOfAKilledServiceIsReplaced();
    void anotherUserIsRefused();

private:
    QProcessEnvironment environment() const;
    // The only socket in the control folder, empty when there is none.
    QString socketPath() const;

    std::unique_ptr<QTemporaryDir> m_runtime;
    TestBot m_bot;
    QString m_profile;
};

void TestControl::init()
{
    // A runtime folder of our own, so no test meets a socket of another run or of the user's.
    m_runtime = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runtime->isValid());
    QVERIFY(m_bot.isValid());
    m_profile = m_bot.write({});
}

QProcessEnvironment TestControl::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    return env;
}

QString TestControl::socketPath() const
{
    const QDir folder(m_runtime->filePath(u"shard-manager"_s));
    const QStringList sockets = folder.entryList({u"*.sock"_s}, QDir::System);
    return sockets.size() == 1 ? folder.filePath(sockets.first()) : QString();
}

void TestControl::statusReadsTheRunningService()
{
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);

    Manager status({u"--status"_s, m_profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 0);
    const QString out = status.lines().join(u'\n');
    QVERIFY2(out.contains(u"service: pid %1, running since"_s.arg(service.pid())), qPrintable(out));
    QVERIFY2(out.contains(socketPath()), qPrintable(out));
    for (const QJsonObject &started : service.events(u"started"_s)) {
        const int process = started.value(u"process"_s).toInt();
        const QString line
            = u"process %1 (shards %1 to %1): running, pid %2, up "_s.arg(process).arg(
                started.value(u"pid"_s).toInteger());
        QVERIFY2(out.contains(line), qPrintable(out + u"\nmissing: "_s + line));
    }
    QVERIFY2(out.contains(u", 0 restarts"_s), qPrintable(out)); // the English plural form

    // The folder and the socket are this user's alone.
    const QFileInfo folder(m_runtime->filePath(u"shard-manager"_s));
    QCOMPARE(folder.permissions() & 0x7777,
             QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadUser
                 | QFile::WriteUser | QFile::ExeUser);
    const QFileInfo socket(socketPath());
    QCOMPARE(socket.permissions() & 0x7777,
             QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);

    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
    QVERIFY(service.exitedCleanly());
    QVERIFY2(socketPath().isEmpty(), "the socket file outlived its service");
    Manager none({u"--status"_s, m_profile}, true, environment());
    QVERIFY(none.finish());
    QCOMPARE(none.process().exitCode(), 3);
    QVERIFY2(none.lines().join(u'\n').contains(u"no service runs"_s), qPrintable(none.err()));
}

void TestControl::secondServiceOnTheProfileIsRefused()
{
    Manager first({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(first.events(u"started"_s).size(), 2, 10000);

    // The same file under another spelling meets the same socket.
    const QString other = QDir(m_bot.path()).filePath(u"./"_s + QFileInfo(m_profile).fileName());
    Manager second({u"--headless"_s, u"--events"_s, u"json"_s, other}, true, environment());
    QVERIFY(second.finish());
    QCOMPARE(second.process().exitCode(), 1);
    QVERIFY2(
        second.err().contains(u"a service already runs this profile: pid %1"_s.arg(first.pid())),
        qPrintable(second.err()));
    QVERIFY(second.events(u"started"_s).isEmpty());
    // The first goes on, its socket too.
    QVERIFY(first.running());
    Manager status({u"--status"_s, m_profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 0);

    // Another profile is another service.
    const QString another = m_bot.write({});
    Manager third({u"--headless"_s, u"--events"_s, u"json"_s, another}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(third.events(u"started"_s).size(), 2, 10000);
    third.sendSignal(SIGTERM);
    first.sendSignal(SIGTERM);
    QVERIFY(third.finish());
    QVERIFY(first.finish());
    QVERIFY(first.exitedCleanly());
}

void TestControl::socketOfAKilledServiceIsReplaced()
{
    {
        Manager killed({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
        QTRY_COMPARE_WITH_TIMEOUT(killed.events(u"started"_s).size(), 2, 10000);
        killed.sendSignal(SIGKILL);
        QVERIFY(killed.finish());
    }
    QVERIFY2(!socketPath().isEmpty(), "SIGKILL leaves the socket file behind");
    Manager status({u"--status"_s, m_profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 3);

    Manager next({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(next.events(u"started"_s).size(), 2, 10000);
    Manager again({u"--status"_s, m_profile}, true, environment());
    QVERIFY(again.finish());
    QCOMPARE(again.process().exitCode(), 0);
    QVERIFY(again.lines().join(u'\n').contains(u"service: pid %1"_s.arg(next.pid())));
    next.sendSignal(SIGTERM);
    QVERIFY(next.finish());
}

void TestControl::anotherUserIsRefused()
{
    // The service runs as nobody; this test (root in CI) may enter its 0700 folder, so only the
    // peer's user id stands between them.
    if (::geteuid() != 0 || QStandardPaths::findExecutable(u"setpriv"_s).isEmpty())
        QSKIP("needs root and setpriv to run the service as another user");
    QVERIFY(QFile::setPermissions(m_runtime->path(), QFileDevice::Permissions(0x7777)));
    QVERIFY(QFile::setPermissions(m_bot.path(), QFileDevice::Permissions(0x7755)));
    // The build folder may be out of nobody's reach (a private temporary clone): the programs
    // are copied beside the profile.
    const QString manager = m_bot.filePath(u"shard-manager"_s);
    const QString shard = m_bot.filePath(u"fakeshard"_s);
    QVERIFY(QFile::copy(QStringLiteral(SHARDMANAGER_PATH), manager));
    QVERIFY(QFile::copy(QStringLiteral(FAKESHARD_PATH), shard));
    const QString profile = m_bot.write({{u"interpreter"_s, shard}});
    for (const QString &file : {profile, m_bot.filePath(u"bot.lua"_s)})
        QVERIFY(QFile::setPermissions(file, QFileDevice::Permissions(0x7744)));
    for (const QString &program : {manager, shard})
        QVERIFY(QFile::setPermissions(program, QFileDevice::Permissions(0x7755)));
    QStringList arguments {u"--reuid=65534"_s,  u"--regid=65534"_s,
                           u"--clear-groups"_s, manager,
                           u"--headless"_s,     profile};
    QProcess service;
    service.setProcessEnvironment(environment());
    service.setStandardInputFile(QProcess::nullDevice());
    service.start(u"setpriv"_s, arguments);
    QVERIFY(service.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty() || service.state() != QProcess::Running,
                             10000);
    QVERIFY2(!socketPath().isEmpty(), service.readAllStandardError().constData());

    Manager status({u"--status"_s, profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += service.readAllStandardError()).contains("refused a connection from user id 0"),
        5000);
    service.terminate();
    QVERIFY(service.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
