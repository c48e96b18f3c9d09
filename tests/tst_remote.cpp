// Tests `--control` as a remote window reaches it: through a real sshd started by the test (see
// sshserver.h), `ssh … shard-manager --control PROFILE` gets a running service's hello and
// snapshot and ends when the service is killed; what goes into ssh reaches the control socket, and
// closing ssh's stdin ends the remote bridge and the connection.

#include "fakesecretbackend.h"
#include "mainwindow.h"
#include "managerprocess.h"
#include "service/controlpaths.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "sshserver.h"
#include "testbot.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestRemote : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void controlOverSsh();
    void stdinOverSshReachesTheSocket();
    void windowAttachesOverSsh();

private:
    // ssh running `shard-manager --control m_profile` on the far side, stdout collected.
    void startSsh(QProcess &ssh, QByteArray &out);

    std::unique_ptr<SshServer> m_sshd;
    std::unique_ptr<QTemporaryDir> m_runtime;
    TestBot m_bot;
    QString m_profile;
};

void TestRemote::initTestCase()
{
    if (const QString why = SshServer::unavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_sshd = std::make_unique<SshServer>();
    QString error;
    QVERIFY2(m_sshd->start(&error), qPrintable(error));
}

void TestRemote::init()
{
    m_runtime = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runtime->isValid());
    QVERIFY(m_bot.isValid());
    m_profile = m_bot.write({});
    // The test's ControlPaths (the stand-in server) and the local service use this folder.
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime->path()));
}

void TestRemote::startSsh(QProcess &ssh, QByteArray &out)
{
    // The far side gets a fresh environment from sshd, without XDG_RUNTIME_DIR, and a PATH
    // without the build folder: the socket folder is handed over and the program named by path.
    const QStringList remote = {u"env"_s, u"XDG_RUNTIME_DIR="_s + m_runtime->path(),
                                QStringLiteral(SHARDMANAGER_PATH), u"--control"_s, m_profile};
    QStringList argv = m_sshd->sshCommand();
    argv << SshServer::remoteCommand(remote);
    connect(&ssh, &QProcess::readyReadStandardOutput, this,
            [&] { out += ssh.readAllStandardOutput(); });
    ssh.start(argv.takeFirst(), argv);
    QVERIFY(ssh.waitForStarted());
}

void TestRemote::controlOverSsh()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, env);
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);

    QProcess ssh;
    QByteArray out;
    startSsh(ssh, out);
    QTRY_VERIFY_WITH_TIMEOUT(out.count('\n') >= 2 || ssh.state() == QProcess::NotRunning, 15000);
    const QList<QByteArray> lines = out.split('\n');
    const QJsonObject hello = QJsonDocument::fromJson(lines.at(0)).object();
    const QJsonObject snapshot = QJsonDocument::fromJson(lines.at(1)).object();
    QVERIFY2(hello.value(u"type"_s) == u"hello"_s,
             qPrintable(QString::fromUtf8(out + ssh.readAllStandardError())));
    QCOMPARE(hello.value(u"pid"_s).toInteger(), service.pid());
    QCOMPARE(snapshot.value(u"type"_s).toString(), u"snapshot"_s);
    QCOMPARE(snapshot.value(u"processes"_s).toArray().size(), 2);
    QCOMPARE(ssh.state(), QProcess::Running);

    // A killed service ends the remote bridge, and so the ssh session.
    service.sendSignal(SIGKILL);
    QVERIFY(service.finish());
    QTRY_COMPARE_WITH_TIMEOUT(ssh.state(), QProcess::NotRunning, 10000);
    QCOMPARE(ssh.exitStatus(), QProcess::NormalExit);
    QCOMPARE(ssh.exitCode(), 0);
}

void TestRemote::stdinOverSshReachesTheSocket()
{
    // No service: the test plays it on the profile's socket.
    QLocalServer server;
    const QString path = ControlPaths::socketFor(m_profile);
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QVERIFY(server.listen(path));
    QSignalSpy connected(&server, &QLocalServer::newConnection);
    QProcess ssh;
    QByteArray out;
    startSsh(ssh, out);
    QVERIFY2(connected.wait(15000), ssh.readAllStandardError().constData());
    QLocalSocket *client = server.nextPendingConnection();
    QByteArray received;
    connect(client, &QLocalSocket::readyRead, this, [&] { received += client->readAll(); });
    client->write("{\"type\":\"hello\"}\n");
    QTRY_COMPARE_WITH_TIMEOUT(out, QByteArray("{\"type\":\"hello\"}\n"), 10000);

    ssh.write("{\"command\":\"stop\"}\n");
    QTRY_COMPARE_WITH_TIMEOUT(received, QByteArray("{\"command\":\"stop\"}\n"), 10000);
    // The end of ssh's stdin reaches the bridge, which closes the connection and exits 0.
    ssh.closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QLocalSocket::UnconnectedState, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(ssh.state(), QProcess::NotRunning, 10000);
    QCOMPARE(ssh.exitStatus(), QProcess::NormalExit);
    QCOMPARE(ssh.exitCode(), 0);
}

void TestRemote::windowAttachesOverSsh()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    auto service = std::make_unique<Manager>(
        QStringList {u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, env);
    QTRY_COMPARE_WITH_TIMEOUT(service->events(u"started"_s).size(), 2, 10000);

    // The window as the program makes it, its link through ssh (as --attach does).
    RemoteEngine engine;
    ServiceLink link(&engine);
    FakeSecretBackend secrets;
    MainWindow window(&engine, &secrets);
    window.setServiceLink(&link, &engine);
    QSignalSpy messages(&link, &ServiceLink::message);
    QStringList argv = m_sshd->sshCommand();
    argv << SshServer::remoteCommand({u"env"_s, u"XDG_RUNTIME_DIR="_s + m_runtime->path(),
                                      QStringLiteral(SHARDMANAGER_PATH), u"--control"_s,
                                      m_profile});
    link.watchCommand(argv, u"127.0.0.1"_s);
    QTRY_COMPARE_WITH_TIMEOUT(link.state(), ServiceLink::State::Attached, 15000);
    QCOMPARE(engine.servicePid(), service->pid());
    QTRY_COMPARE_WITH_TIMEOUT(engine.status().running, 2, 10000);
    QVERIFY(link.describe().startsWith(u"attached on 127.0.0.1: running since"_s));

    // Steered from here: process 1 stops on the far side.
    const qint64 shard = engine.process(1)->pid();
    engine.stopProcess(1);
    QTRY_COMPARE_WITH_TIMEOUT(engine.process(1)->state(), ProcessState::Stopped, 10000);
    QTRY_VERIFY(::kill(pid_t(shard), 0) != 0);

    // The service is killed: the window says so, keeps its last state and comes back to a new one.
    service->sendSignal(SIGKILL);
    QVERIFY(service->finish());
    QTRY_COMPARE_WITH_TIMEOUT(link.state(), ServiceLink::State::Lost, 10000);
    QVERIFY(!messages.isEmpty());
    QCOMPARE(engine.processCount(), 2); // the last state stays in view
    service = std::make_unique<Manager>(
        QStringList {u"--headless"_s, u"--events"_s, u"json"_s, m_profile}, true, env);
    QTRY_COMPARE_WITH_TIMEOUT(link.state(), ServiceLink::State::Attached, 20000);
    QCOMPARE(engine.servicePid(), service->pid());
    link.stop();
    service->sendSignal(SIGTERM);
    QVERIFY(service->finish());
}

QTEST_MAIN(TestRemote)
#include "tst_remote.moc"
