// Tests the service's control socket with the real binary: `--status` reads a running service
// (and says 3 when none runs), a second `--headless` on the same profile refuses to start while
// the first goes on, the socket and its folder are this user's alone, a socket left by a killed
// service is replaced, and a peer of another user id is refused. `--control` relays a service's
// lines to stdout and stdin to the socket (against a stand-in server the test plays), ends with
// either side, and holds back instead of buffering when stdout or the socket lags.

#include "managerprocess.h"
#include "service/controlpaths.h"
#include "testbot.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

class TestControl : public QObject {
    Q_OBJECT

private slots:
    void init();
    void statusReadsTheRunningService();
    void secondServiceOnTheProfileIsRefused();
    void socketOfAKilledServiceIsReplaced();
    void anotherUserIsRefused();
    void controlRelaysTheService();
    void controlEndsWithAKilledService();
    void controlWithoutServiceExits3();
    void controlSendsStdinAndEndsWithIt();
    void controlHoldsBackForASlowStdout();
    void controlHoldsBackForASlowService();

private:
    QProcessEnvironment environment() const;
    // A stand-in service listening on the profile's socket (none runs): its first client.
    QLocalSocket *standInClient(QLocalServer &server, const std::function<void()> &connectBridge);
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
    // The test's own ControlPaths (the stand-in servers) and the programs' agree.
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime->path()));
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

namespace {
// Bytes that show a loss, a duplicate or a reordering.
QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(i % 251);
    return bytes;
}
} // namespace

void TestControl::controlRelaysTheService()
{
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);

    Manager control({u"--control"_s, m_profile}, false, environment());
    QTRY_VERIFY_WITH_TIMEOUT(control.lines().size() >= 2 || !control.running(), 5000);
    const QList<QJsonObject> lines = control.events();
    QCOMPARE(lines.at(0).value(u"type"_s).toString(), u"hello"_s);
    QCOMPARE(lines.at(0).value(u"pid"_s).toInteger(), service.pid());
    QCOMPARE(lines.at(1).value(u"type"_s).toString(), u"snapshot"_s);
    QCOMPARE(lines.at(1).value(u"processes"_s).toArray().size(), 2);
    QVERIFY(control.running()); // stdin is open: the bridge stays

    // A service that stops closes the connection: the bridge ends with it.
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
    QVERIFY(control.finish(5000));
    QVERIFY2(control.exitedCleanly(), qPrintable(control.err()));
}

void TestControl::controlEndsWithAKilledService()
{
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);
    Manager control({u"--control"_s, m_profile}, false, environment());
    QTRY_VERIFY_WITH_TIMEOUT(control.lines().size() >= 2 || !control.running(), 5000);
    QCOMPARE(control.events().at(1).value(u"type"_s).toString(), u"snapshot"_s);

    service.sendSignal(SIGKILL);
    QVERIFY(service.finish());
    QVERIFY2(control.finish(5000), "the bridge outlived its killed service");
    QCOMPARE(control.process().exitStatus(), QProcess::NormalExit);
}

void TestControl::controlWithoutServiceExits3()
{
    Manager control({u"--control"_s, m_profile}, false, environment());
    QVERIFY(control.finish());
    QCOMPARE(control.process().exitCode(), 3);
    QVERIFY2(control.err().contains(u"no service runs"_s), qPrintable(control.err()));
    QVERIFY(control.lines().isEmpty()); // stdout is the protocol's: nothing else goes there
}

QLocalSocket *TestControl::standInClient(QLocalServer &server,
                                         const std::function<void()> &connectBridge)
{
    const QString path = ControlPaths::socketFor(m_profile);
    if (!QDir().mkpath(QFileInfo(path).path()) || !server.listen(path))
        return nullptr;
    QSignalSpy connected(&server, &QLocalServer::newConnection);
    connectBridge();
    if (!connected.wait(5000))
        return nullptr;
    return server.nextPendingConnection();
}

void TestControl::controlSendsStdinAndEndsWithIt()
{
    QLocalServer server;
    std::unique_ptr<Manager> control;
    QLocalSocket *client = standInClient(server, [&] {
        control = std::make_unique<Manager>(QStringList {u"--control"_s, m_profile}, false,
                                            environment());
    });
    QVERIFY(client);
    QByteArray received;
    connect(client, &QLocalSocket::readyRead, this, [&] {
        if (received.isEmpty())
            client->write("echo\n"); // and the way back
        received += client->readAll();
    });
    control->process().write("first line\n");
    QTRY_COMPARE(received, QByteArray("first line\n"));
    QTRY_COMPARE(control->lines(), QStringList {u"echo"_s});

    // What is written before the end of stdin still arrives; then the connection and the
    // bridge end.
    const QByteArray last = pattern(3 * 1024 * 1024);
    control->process().write(last);
    control->process().closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), qsizetype(11 + last.size()), 10000);
    QVERIFY(received.endsWith(last));
    QTRY_COMPARE(client->state(), QLocalSocket::UnconnectedState);
    QVERIFY(control->finish(5000));
    QVERIFY2(control->exitedCleanly(), qPrintable(control->err()));
}

void TestControl::controlHoldsBackForASlowStdout()
{
    // The bridge's stdout is a FIFO the test leaves unread for a while.
    ManagerOptions options;
    options.environment = environment();
    options.stdoutFile = m_bot.filePath(u"control-out.fifo"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(options.stdoutFile).constData(), 0600), 0);
    const int reader = ::open(QFile::encodeName(options.stdoutFile).constData(),
                              O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(reader >= 0);
    QLocalServer server;
    std::unique_ptr<ManagerProcess> control;
    QLocalSocket *client = standInClient(server, [&] {
        control
            = std::make_unique<ManagerProcess>(QStringList {u"--control"_s, m_profile}, options);
    });
    QVERIFY(client);

    const QByteArray sent = pattern(32 * 1024 * 1024);
    client->write(sent);
    // Kernel buffers and the bridge's own bounds hold well under 4 MiB: the rest stays with the
    // service (a bridge that buffered would take all 32 MiB at once).
    QVERIFY(
        !QTest::qWaitFor([&] { return client->bytesToWrite() < sent.size() - 4'000'000; }, 2000));

    QByteArray out;
    QSocketNotifier readable(reader, QSocketNotifier::Read);
    connect(&readable, &QSocketNotifier::activated, this, [&] {
        char buffer[65536];
        for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;)
            out.append(buffer, n);
    });
    QTRY_COMPARE_WITH_TIMEOUT(out.size(), sent.size(), 20000);
    QVERIFY(out == sent);
    client->disconnectFromServer();
    QVERIFY(control->finish(5000));
    QVERIFY2(control->exitedCleanly(), qPrintable(control->err()));
    ::close(reader);
}

void TestControl::controlHoldsBackForASlowService()
{
    QLocalServer server;
    std::unique_ptr<Manager> control;
    QLocalSocket *client = standInClient(server, [&] {
        control = std::make_unique<Manager>(QStringList {u"--control"_s, m_profile}, false,
                                            environment());
    });
    QVERIFY(client);
    client->setReadBufferSize(64 * 1024); // and nothing read from it for a while

    const QByteArray sent = pattern(32 * 1024 * 1024);
    control->process().write(sent);
    // Past about 1 MiB waiting for the socket the bridge stops reading stdin: the rest stays in
    // the test's pipe.
    QVERIFY(!QTest::qWaitFor(
        [&] { return control->process().bytesToWrite() < sent.size() - 8'000'000; }, 2000));

    QByteArray received;
    connect(client, &QLocalSocket::readyRead, this, [&] { received += client->readAll(); });
    received += client->readAll();
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent.size(), 20000);
    QVERIFY(received == sent);
    control->process().closeWriteChannel();
    QVERIFY(control->finish(5000));
    QVERIFY2(control->exitedCleanly(), qPrintable(control->err()));
}

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
