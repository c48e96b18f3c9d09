// Kill in the process table's context menu (issue 14), offscreen with real fakeshard children
// that ignore SIGTERM: it asks first (Cancel the default, Cancel leaves the process running),
// then ends the selected process with SIGKILL at once, not after the stop timeout; it is off
// while no selected process runs.

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "mainwindow.h"
#include "processtableview.h"
#include "testbot.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

class TestKillAction : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void killAsksThenKills();

private:
    // Answers the next question the window asks with the button of that role; returns its text.
    void answerNextQuestion(QMessageBox::ButtonRole role, QString *asked, bool *cancelIsDefault);

    TestBot m_bot;
    FakeSecretBackend m_secrets;
};

void TestKillAction::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestKillAction::answerNextQuestion(QMessageBox::ButtonRole role, QString *asked,
                                        bool *cancelIsDefault)
{
    QTimer::singleShot(0, this, [=] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *asked = box->text();
        *cancelIsDefault = box->defaultButton() == box->button(QMessageBox::Cancel);
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == role) {
                button->click();
                return;
            }
        }
    });
}

void TestKillAction::killAsksThenKills()
{
    ShardEngine engine;
    MainWindow window(&engine, &m_secrets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // A minute to stop: only SIGKILL ends these children within the test.
    QVERIFY(window.openProfile(
        m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--ignore-term"_s, u"--run"_s}},
                     {u"stopTimeout"_s, 60000}})));
    auto *kill = window.findChild<QAction *>(u"killSelectedAction"_s);
    QVERIFY(kill);
    ProcessTableView *table = window.processTable();
    table->selectProcess(1);
    QVERIFY(!kill->isEnabled()); // nothing runs

    window.startAll();
    QTRY_COMPARE(engine.process(0)->state(), ProcessState::Running);
    QTRY_COMPARE(engine.process(1)->state(), ProcessState::Running);
    QTRY_VERIFY(kill->isEnabled());

    // It is in the table's context menu.
    QList<QAction *> menuActions;
    QTimer::singleShot(0, this, [&menuActions] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            menuActions = menu->actions();
            menu->close();
        }
    });
    QContextMenuEvent event(QContextMenuEvent::Mouse, QPoint(10, 10),
                            table->viewport()->mapToGlobal(QPoint(10, 10)));
    QApplication::sendEvent(table->viewport(), &event);
    QVERIFY(menuActions.contains(kill));

    QString asked;
    bool cancelIsDefault = false;
    answerNextQuestion(QMessageBox::RejectRole, &asked, &cancelIsDefault);
    kill->trigger();
    QVERIFY2(asked.contains(u"Kill process 1 (shard 1)?"_s), qPrintable(asked));
    QVERIFY2(asked.contains(u"SIGKILL"_s), qPrintable(asked));
    QVERIFY(cancelIsDefault);
    // A kill would have left it stopping by now.
    QCOMPARE(engine.process(1)->state(), ProcessState::Running);

    asked.clear();
    answerNextQuestion(QMessageBox::DestructiveRole, &asked, &cancelIsDefault);
    kill->trigger();
    QVERIFY(!asked.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(engine.process(1)->state(), ProcessState::Stopped, 10000);
    const ExitInfo &exit = engine.process(1)->lastExit();
    QVERIFY(exit.crashed);
    QCOMPARE(exit.signal, SIGKILL);
    QCOMPARE(engine.process(0)->state(), ProcessState::Running); // not selected
    QTRY_VERIFY(!kill->isEnabled());

    engine.killAll();
    QTRY_VERIFY(!engine.isBusy());
}

QTEST_MAIN(TestKillAction)
#include "tst_killaction.moc"
