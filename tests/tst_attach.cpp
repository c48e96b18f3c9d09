// The window as a client of its service, with real processes: Start starts a service detached
// from the window (its own session; the shards are its children, not ours) and attaches; closing
// with "keep running" leaves every process running and a new window shows them with their
// history; "stop the bot" ends the service; a service killed under the window is reported and a
// new one is attached when it comes.

#include "fakesecretbackend.h"
#include "ipcmessagemodel.h"
#include "mainwindow.h"
#include "managerprocess.h"
#include "profileeditor.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "servicecontrols.h"
#include "shardview.h"
#include "shardviewmodel.h"
#include "testbot.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {
// Field n (1-based, after the command's parentheses) of /proc/PID/stat.
qint64 statField(qint64 pid, int n)
{
    QFile file(u"/proc/%1/stat"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return n - 3 < fields.size() ? fields.at(n - 3).toLongLong() : -1;
}

bool alive(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0 && statField(pid, 3) != 'Z';
}
} // namespace

// One window on a RemoteEngine and a ServiceLink, as the program makes it.
struct AttachedWindow {
    explicit AttachedWindow(SecretBackend *secrets)
        : link(&engine)
        , window(&engine, secrets)
    {
        link.setServiceProgram(QStringLiteral(SHARDMANAGER_PATH));
        window.setServiceLink(&link, &engine);
        window.show();
    }
    RemoteEngine engine;
    ServiceLink link;
    MainWindow window;
};

class TestAttach : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void startStartsADetachedServiceAndAttaches();
    void keepRunningLeavesTheBotAndANewWindowShowsItsHistory();
    void stopTheBotEndsTheService();
    void killedServiceIsReportedAndANewOneAttached();
    void attachesThroughACommandAndReconnects();
    void windowKilledLeavesTheBotRunning();
    void sshAddressesBecomeTheUsersSsh();
    void shardViewAndLaunchFollowTheService();
    void broadcastShowsTheServicesReach();
    void windowDoesNotEchoChildLines();

private:
    QString writeProfile();
    void startAttached(AttachedWindow &w);
    // Clicks a button of the close question when it shows.
    void answerClose(const QString &button, bool dontAskAgain);
    QProcessEnvironment environment() const;

    std::unique_ptr<QTemporaryDir> m_runtime;
    TestBot m_bot;
    FakeSecretBackend m_secrets;
    QList<qint64> m_services;
};

void TestAttach::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestAttach::init()
{
    // Sockets and service logs of this test only; the services the window starts inherit them.
    m_runtime = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runtime->isValid());
    qputenv("XDG_RUNTIME_DIR", m_runtime->path().toLocal8Bit());
    qputenv("XDG_STATE_HOME", m_runtime->filePath(u"state"_s).toLocal8Bit());
    QSettings().clear();
}

void TestAttach::cleanup()
{
    // Never leave a service (and its shards) behind a failed test.
    for (qint64 pid : std::as_const(m_services)) {
        if (alive(pid))
            ::kill(pid_t(pid), SIGKILL);
    }
    m_services.clear();
}

QProcessEnvironment TestAttach::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    return env;
}

QString TestAttach::writeProfile()
{
    return m_bot.write(
        {{u"interpreterArgs"_s,
          QJsonArray {u"--print=hello from before"_s, u"--ipc-connect"_s, u"--run"_s}}});
}

void TestAttach::startAttached(AttachedWindow &w)
{
    w.window.startAll();
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::Attached, 15000);
    m_services.append(w.engine.servicePid());
    QTRY_COMPARE_WITH_TIMEOUT(w.engine.status().running, 2, 15000);
}

void TestAttach::answerClose(const QString &button, bool dontAskAgain)
{
    QTimer::singleShot(0, this, [button, dontAskAgain] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QCOMPARE(box->objectName(), u"closeQuestion"_s);
        QCOMPARE(box->defaultButton()->objectName(), u"keepRunningButton"_s);
        box->findChild<QCheckBox *>(u"dontAskAgain"_s)->setChecked(dontAskAgain);
        box->findChild<QPushButton *>(button)->click();
    });
}

void TestAttach::startStartsADetachedServiceAndAttaches()
{
    AttachedWindow w(&m_secrets);
    QVERIFY(w.window.openProfile(writeProfile()));
    QCOMPARE(w.link.state(), ServiceLink::State::NoService);
    QCOMPARE(w.engine.processCount(), 2); // the plan, before any service
    startAttached(w);

    const qint64 service = w.engine.servicePid();
    QVERIFY(service != QCoreApplication::applicationPid());
    // Its own session, not our child: the window's end is not the bot's.
    const qint64 ours = QCoreApplication::applicationPid();
    QVERIFY(statField(service, 6) > 0);
    QVERIFY(statField(service, 6) != statField(ours, 6)); // session id
    QVERIFY(statField(service, 5) != statField(ours, 5)); // process group
    QVERIFY(statField(service, 4) != ours); // parent
    for (int i = 0; i < 2; ++i) {
        const qint64 shard = w.engine.process(i)->pid();
        QVERIFY(alive(shard));
        QCOMPARE(statField(shard, 4), service);
    }
    QVERIFY(w.link.describe().startsWith(u"attached: running since"_s));
    QTRY_VERIFY(w.engine.process(0)->recentLines().size() > 0);
    QCOMPARE(w.engine.process(0)->recentLines().lines().first().text, u"hello from before"_s);
}

void TestAttach::keepRunningLeavesTheBotAndANewWindowShowsItsHistory()
{
    const QString profile = writeProfile();
    QList<qint64> shards;
    qint64 service = 0;
    {
        AttachedWindow w(&m_secrets);
        QVERIFY(w.window.openProfile(profile));
        startAttached(w);
        service = w.engine.servicePid();
        for (int i = 0; i < 2; ++i)
            shards.append(w.engine.process(i)->pid());
        answerClose(u"keepRunningButton"_s, true);
        QVERIFY(w.window.close());
    }
    QCOMPARE(QSettings().value(u"window/closeWhileRunning"_s).toString(), u"keep"_s);
    QVERIFY(alive(service));
    for (qint64 shard : std::as_const(shards))
        QVERIFY(alive(shard));
    Manager status({u"--status"_s, profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 0);

    // A new window opens the profile: attached at once, the same processes, their lines.
    AttachedWindow again(&m_secrets);
    QVERIFY(again.window.openProfile(profile));
    QTRY_COMPARE_WITH_TIMEOUT(again.link.state(), ServiceLink::State::Attached, 5000);
    QCOMPARE(again.engine.servicePid(), service);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(again.engine.process(i)->pid(), shards.at(i));
        QCOMPARE(again.engine.process(i)->state(), ProcessState::Running);
        QCOMPARE(again.engine.process(i)->recentLines().lines().first().text,
                 u"hello from before"_s);
    }
    // Remembered: the second close does not ask, and keeps the bot running.
    QVERIFY(again.window.close());
    QVERIFY(alive(service));
}

void TestAttach::stopTheBotEndsTheService()
{
    const QString profile = writeProfile();
    AttachedWindow w(&m_secrets);
    QVERIFY(w.window.openProfile(profile));
    startAttached(w);
    const qint64 service = w.engine.servicePid();
    const qint64 shard = w.engine.process(0)->pid();
    answerClose(u"stopBotButton"_s, false);
    QVERIFY(w.window.close());
    QVERIFY(QSettings().value(u"window/closeWhileRunning"_s).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!alive(service), 10000);
    QVERIFY(!alive(shard));
    Manager status({u"--status"_s, profile}, true, environment());
    QVERIFY(status.finish());
    QCOMPARE(status.process().exitCode(), 3);
}

void TestAttach::killedServiceIsReportedAndANewOneAttached()
{
    const QString profile = writeProfile();
    AttachedWindow w(&m_secrets);
    QSignalSpy messages(&w.link, &ServiceLink::message);
    QVERIFY(w.window.openProfile(profile));
    startAttached(w);
    const qint64 service = w.engine.servicePid();
    ::kill(pid_t(service), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::NoService, 5000);
    QVERIFY(!messages.isEmpty());
    QVERIFY2(messages.last().first().toString().contains(u"pid %1"_s.arg(service)),
             qPrintable(messages.last().first().toString()));
    QVERIFY(!w.engine.isAttached());

    // A service started elsewhere (a terminal, systemd) is found and attached.
    Manager again({u"--headless"_s, u"--no-echo"_s, profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::Attached, 10000);
    QCOMPARE(w.engine.servicePid(), again.pid());
    again.sendSignal(SIGTERM);
    QVERIFY(again.finish());
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::NoService, 5000);
}

void TestAttach::attachesThroughACommandAndReconnects()
{
    // What --attach-command and ssh do: the protocol over a command's stdio, here
    // `shard-manager --control PROFILE` run directly.
    const QString profile = writeProfile();
    auto service = std::make_unique<Manager>(QStringList {u"--headless"_s, u"--no-echo"_s, profile},
                                             true, environment());
    AttachedWindow w(&m_secrets);
    QSignalSpy messages(&w.link, &ServiceLink::message);
    QString error;
    QVERIFY(w.window.serviceControls()->attachRemote(
        QString(), u"%1 --control %2"_s.arg(QStringLiteral(SHARDMANAGER_PATH), profile), &error));
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::Attached, 10000);
    QCOMPARE(w.engine.servicePid(), service->pid());
    QTRY_COMPARE_WITH_TIMEOUT(w.engine.status().running, 2, 10000);
    QCOMPARE(w.window.profileEditor()->profile().maxShards, 2); // the service's profile shown

    // A command from the window reaches the service.
    const qint64 shard = w.engine.process(1)->pid();
    w.engine.stopProcess(1);
    QTRY_COMPARE_WITH_TIMEOUT(w.engine.process(1)->state(), ProcessState::Stopped, 10000);
    QVERIFY(!alive(shard));

    // The service goes away: said, retried, and attached again when one is back.
    service->sendSignal(SIGTERM);
    QVERIFY(service->finish());
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::Lost, 5000);
    QVERIFY(!messages.isEmpty());
    // The last state stays in view, greyed.
    QCOMPARE(w.engine.processCount(), 2);
    QVERIFY(!w.window.centralWidget()->isEnabled());
    QVERIFY2(messages.last().first().toString().contains(u"trying again"_s),
             qPrintable(messages.last().first().toString()));
    service = std::make_unique<Manager>(QStringList {u"--headless"_s, u"--no-echo"_s, profile},
                                        true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(w.link.state(), ServiceLink::State::Attached, 15000);
    QCOMPARE(w.engine.servicePid(), service->pid());
    QVERIFY(w.window.centralWidget()->isEnabled());
    // File > Running Services lists it by its profile.
    const auto services = ServiceLink::runningServices();
    QCOMPARE(services.size(), 1);
    QCOMPARE(services.first().second, QFileInfo(profile).absoluteFilePath());
    service->sendSignal(SIGTERM);
    QVERIFY(service->finish());
}

void TestAttach::windowKilledLeavesTheBotRunning()
{
    // The program's own window, started as a user would, then killed as a crash would end it.
    const QString profile = writeProfile();
    QProcessEnvironment env = environment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"XDG_STATE_HOME"_s, m_runtime->filePath(u"state"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, m_runtime->filePath(u"config"_s));
    Manager window({u"--start"_s, profile}, true, env);
    auto statusOf = [&] {
        Manager status({u"--status"_s, profile}, true, environment());
        status.finish();
        return status.process().exitCode() == 0 ? status.lines().join(u'\n') : QString();
    };
    QString status;
    QTRY_VERIFY_WITH_TIMEOUT(
        !(status = statusOf()).isEmpty() && status.count(u": running, pid"_s) == 2, 15000);
    const qint64 service = status.section(u"service: pid "_s, 1).section(u',', 0, 0).toLongLong();
    QVERIFY(alive(service));
    m_services.append(service);
    window.sendSignal(SIGKILL);
    QVERIFY(window.finish());
    // The service and both shards run on; nothing of them was the window's.
    QVERIFY(alive(service));
    const QString after = statusOf();
    QCOMPARE(after.count(u": running, pid"_s), 2);
    QVERIFY2(after.contains(u"service: pid %1,"_s.arg(service)), qPrintable(after));
}

void TestAttach::sshAddressesBecomeTheUsersSsh()
{
    QString error;
    QCOMPARE(
        ServiceControls::sshCommand(u"ssh://bot@example.org:2222/srv/bot/profile.json"_s, &error),
        QStringList({u"ssh"_s, u"-p"_s, u"2222"_s, u"-o"_s, u"BatchMode=yes"_s,
                     u"bot@example.org"_s, u"shard-manager"_s, u"--control"_s,
                     u"/srv/bot/profile.json"_s}));
    QCOMPARE(ServiceControls::sshCommand(u"ssh://host/p.json"_s, &error),
             QStringList({u"ssh"_s, u"-o"_s, u"BatchMode=yes"_s, u"host"_s, u"shard-manager"_s,
                          u"--control"_s, u"/p.json"_s}));
    for (const QString &bad :
         {u"http://host/p.json"_s, u"ssh://host"_s, u"ssh:///p.json"_s, u"host:/p.json"_s}) {
        error.clear();
        QVERIFY2(ServiceControls::sshCommand(bad, &error).isEmpty(), qPrintable(bad));
        QVERIFY2(error.contains(u"ssh://[user@]host[:port]/path"_s), qPrintable(error));
    }
}

// The Shards tab and the details' launch description of a process the service runs: states and
// per-shard stats come through the service's events, the launch from its snapshot, and the
// states go when the service stops the processes.
void TestAttach::shardViewAndLaunchFollowTheService()
{
    const QString profile = m_bot.write(
        {{u"interpreterArgs"_s,
          QJsonArray {u"--print=Shard ${SHARDER_FIRST_SHARD} : Received READY"_s,
                      u"--ipc-connect"_s, u"--ipc-hello"_s,
                      u"--ipc-send={\"op\":\"stats\",\"guilds\":7,\"ping\":9,\"shards\":{"
                      "\"${SHARDER_FIRST_SHARD}\":{\"guilds\":7,\"ping\":8}}}"_s,
                      u"--run"_s}}});
    AttachedWindow w(&m_secrets);
    QVERIFY(w.window.openProfile(profile));
    startAttached(w);
    const ShardViewModel *model = w.window.shardView()->model();
    QCOMPARE(model->rowCount(), 2);
    QTRY_COMPARE(model->index(1, ShardViewModel::State).data().toString(), u"ready"_s);
    QTRY_COMPARE(model->index(1, ShardViewModel::Guilds).data().toString(), u"7"_s);
    QCOMPARE(model->index(1, ShardViewModel::Ping).data().toString(), u"8 ms"_s);

    const LaunchInfo launch = w.engine.launchInfo(1);
    QCOMPARE(launch.program, QStringLiteral(FAKESHARD_PATH));
    QVERIFY(launch.environment.contains(std::pair(u"SHARDER_PROCESS"_s, u"1"_s)));
    QVERIFY(launch.environment.contains(std::pair(u"SHARDER_IPC_TOKEN"_s, u"[secret]"_s)));

    w.engine.stopAll();
    QTRY_VERIFY_WITH_TIMEOUT(!w.engine.isBusy(), 10000);
    QCOMPARE(model->index(1, ShardViewModel::State).data().toString(), QString());
    QCOMPARE(model->index(1, ShardViewModel::Guilds).data().toString(), QString());
    QCOMPARE(model->rememberedStates(), 0);
}

void TestAttach::broadcastShowsTheServicesReach()
{
    AttachedWindow w(&m_secrets);
    QVERIFY(w.window.openProfile(writeProfile()));
    startAttached(w);
    QTRY_COMPARE_WITH_TIMEOUT(w.engine.status().ipcConnections, 2, 15000);
    auto *input = w.window.findChild<QLineEdit *>(u"ipcInput"_s);
    QVERIFY(input);
    input->setText(u"to everyone"_s);
    QTest::keyClick(input, Qt::Key_Return);
    // The console records the message with the reach the service's reply gives.
    auto *model = w.window.findChild<IpcMessageModel *>();
    QVERIFY(model);
    auto sentRow = [model] {
        model->flush();
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, IpcMessageModel::From).data(IpcMessageModel::SentRole).toBool())
                return model->index(r, IpcMessageModel::From).data().toString();
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!sentRow().isEmpty(), 10000);
    QCOMPARE(sentRow(), u"→ all processes (reached 2)"_s);
    w.engine.stopService();
}

void TestAttach::windowDoesNotEchoChildLines()
{
    // The program's window, started as from the desktop, runs a bot that prints: its stdout
    // (the session's journal) gets none of the children's lines.
    const QString logFile = m_runtime->filePath(u"bot.log"_s);
    const QString profile = m_bot.write(
        {{u"interpreterArgs"_s, QJsonArray {u"--print=child line"_s, u"--ticks=50"_s}},
         {u"silent"_s, false},
         {u"logFile"_s, logFile}});
    QProcessEnvironment env = environment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"XDG_STATE_HOME"_s, m_runtime->filePath(u"state"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, m_runtime->filePath(u"config"_s));
    Manager window({u"--start"_s, profile}, true, env);
    auto logged = [&] {
        QFile file(logFile);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    // Children printing for a while: their lines reached the service (its log file).
    QTRY_VERIFY_WITH_TIMEOUT(logged().count("tick") >= 40 && logged().contains("child line"),
                             20000);
    Manager status({u"--status"_s, profile}, true, environment());
    status.finish();
    const QString text = status.lines().join(u'\n');
    m_services.append(text.section(u"service: pid "_s, 1).section(u',', 0, 0).toLongLong());
    window.sendSignal(SIGTERM);
    QVERIFY(window.finish());
    const QString out = window.lines().join(u'\n');
    QVERIFY2(!out.contains(u"child line"_s) && !out.contains(u"tick"_s), qPrintable(out.left(500)));
}

QTEST_MAIN(TestAttach)
#include "tst_attach.moc"
