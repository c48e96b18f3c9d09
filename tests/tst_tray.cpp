// The window of a running bot on a desktop with a system tray (an X server and trayer, see
// run-with-tray.sh): closing the window hides it to the tray without a question and the bot goes
// on; Quit asks whether the bot keeps running, and "keep" leaves the service running.

#include "fakesecretbackend.h"
#include "mainwindow.h"
#include "managerprocess.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "testbot.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QJsonArray>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

class TestTray : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void closeHidesToTheTrayAndQuitAsks();

private:
    QTemporaryDir m_runtime;
    TestBot m_bot;
    FakeSecretBackend m_secrets;
};

void TestTray::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid() && m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", m_runtime.path().toLocal8Bit());
    qputenv("XDG_STATE_HOME", m_runtime.filePath(u"state"_s).toLocal8Bit());
    // trayer takes the tray selection a moment after the X server starts.
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 10000);
}

void TestTray::closeHidesToTheTrayAndQuitAsks()
{
    RemoteEngine engine;
    ServiceLink link(&engine);
    link.setServiceProgram(QStringLiteral(SHARDMANAGER_PATH));
    MainWindow window(&engine, &m_secrets);
    window.setServiceLink(&link, &engine);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProfile(m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--run"_s}}})));
    window.startAll();
    QTRY_COMPARE_WITH_TIMEOUT(link.state(), ServiceLink::State::Attached, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(engine.status().running, 2, 15000);
    const qint64 service = engine.servicePid();

    // The close button: no question (a modal would be a failure), the window goes to the tray.
    bool asked = false;
    QTimer watch;
    connect(&watch, &QTimer::timeout, this, [&] {
        if (QWidget *modal = QApplication::activeModalWidget()) {
            asked = true;
            modal->close();
        }
    });
    watch.start(20);
    QVERIFY(!window.close());
    QVERIFY(!window.isVisible());
    QVERIFY(!asked);
    watch.stop();
    QCOMPARE(link.state(), ServiceLink::State::Attached);
    QVERIFY(::kill(pid_t(service), 0) == 0);

    // Quit (Ctrl+Q, the tray's menu) asks; "keep running" ends the window, not the bot.
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QCOMPARE(box->objectName(), u"closeQuestion"_s);
        box->findChild<QPushButton *>(u"keepRunningButton"_s)->click();
    });
    window.findChild<QAction *>(u"quitAction"_s)->trigger();
    QCOMPARE(link.state(), ServiceLink::State::Idle);
    QVERIFY(::kill(pid_t(service), 0) == 0);
    ::kill(pid_t(service), SIGTERM);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(service), 0) != 0, 10000);
}

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
