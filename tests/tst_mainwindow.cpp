// The window, offscreen, with real fakeshard children: an invalid value is marked at its field and
// keeps Start disabled; Start runs the processes; Stop on a selected row stops only that one; a
// broadcast typed in the IPC console is echoed by every child into its pane; a pane opened late
// shows the process's history; closing the window while processes run stops them first, and
// closes only once none is left.

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "ipcconsole.h"
#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "processutil.h"
#include "profileeditor.h"
#include "testbot.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void invalidValueIsMarkedAndStartDisabled();
    void startRunsEveryProcess();
    void stopSelectedStopsOnlyThatOne();
    void broadcastIsEchoedInEveryPane();
    void lateOpenedPaneShowsHistory();
    void profileRoundTripsThroughSave();
    void tokenGoesToKeychainAndNeverToPanes();
    void startKeepsOpenPanes();
    void failuresAreShownOnce();
    void closeWhileRunningStopsFirst();
    void closeWhileRunningCanBeCancelled();
    void closeAgainWhileStoppingKills();

private:
    QString writeProfile(const QStringList &behaviours, int maxShards = 3,
                         const QJsonObject &overrides = {});
    QAction *action(const QString &name) const;
    ProcessState stateOf(int row) const;
    qint64 pidOf(int row) const;
    void startAndWaitRunning();
    void answerNextQuestion(QMessageBox::StandardButton button, int *asked);

    TestBot m_bot;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    // Settings and recent files go to a test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    // The close tests close the only window: that must not quit the application under the test.
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestMainWindow::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
    m_engine = std::make_unique<ShardEngine>();
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_window.reset();
    m_engine.reset();
}

QString TestMainWindow::writeProfile(const QStringList &behaviours, int maxShards,
                                     const QJsonObject &overrides)
{
    QJsonObject o {{u"interpreterArgs"_s, QJsonArray::fromStringList(behaviours)},
                   {u"maxShards"_s, maxShards}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        o.insert(it.key(), it.value());
    return m_bot.write(o);
}

QAction *TestMainWindow::action(const QString &name) const
{
    return m_window->findChild<QAction *>(name);
}

ProcessState TestMainWindow::stateOf(int row) const
{
    const QAbstractItemModel *model = m_window->processTable()->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        if (index.data(ProcessTableModel::ProcessIndexRole).toInt() == row)
            return ProcessState(index.data(ProcessTableModel::StateRole).toInt());
    }
    return ProcessState::Pending;
}

qint64 TestMainWindow::pidOf(int row) const
{
    const QAbstractItemModel *model = m_window->processTable()->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, 0).data(ProcessTableModel::ProcessIndexRole).toInt() == row)
            return model->index(r, ProcessTableModel::Pid)
                .data(ProcessTableModel::SortRole)
                .toLongLong();
    }
    return 0;
}

// The next modal question (a QMessageBox the window opens and waits on) is answered with button,
// and counted; when none opens, nothing is answered and the count stays.
void TestMainWindow::answerNextQuestion(QMessageBox::StandardButton button, int *asked)
{
    QTimer::singleShot(0, this, [button, asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || !box->button(button))
            return;
        ++*asked;
        box->button(button)->click();
    });
}

void TestMainWindow::startAndWaitRunning()
{
    QAction *start = action(u"startAllAction"_s);
    QVERIFY(start);
    QVERIFY(start->isEnabled());
    start->trigger();
    for (int i = 0; i < m_engine->processCount(); ++i)
        QTRY_COMPARE(stateOf(i), ProcessState::Running);
}

void TestMainWindow::invalidValueIsMarkedAndStartDisabled()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--run"_s})));
    QVERIFY(action(u"startAllAction"_s)->isEnabled());
    auto *file = m_window->findChild<QLineEdit *>(u"field_file"_s);
    QVERIFY(file);
    auto *error = m_window->findChild<QLabel *>(u"error_file"_s);
    QVERIFY(error);
    QVERIFY(!error->isVisible());

    file->setFocus();
    file->selectAll();
    QTest::keyClicks(file, u"no-such-bot.lua"_s);
    QTRY_VERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"does not exist"_s), qPrintable(error->text()));
    QVERIFY(!action(u"startAllAction"_s)->isEnabled());
    QVERIFY(m_window->isModified());

    // Fixing it enables Start again.
    file->selectAll();
    QTest::keyClicks(file, u"bot.lua"_s);
    QTRY_VERIFY(!error->isVisible());
    QVERIFY(action(u"startAllAction"_s)->isEnabled());
}

void TestMainWindow::startRunsEveryProcess()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--print=up"_s, u"--run"_s})));
    QCOMPARE(m_window->processTable()->model()->rowCount(), 3);
    startAndWaitRunning();
    QVERIFY(m_engine->isBusy());
    QAction *startAll = action(u"startAllAction"_s);
    QAction *stopAll = action(u"stopAllAction"_s);
    // While they run, Start All stays on (it starts whichever are not running) and Stop All is on.
    QVERIFY(startAll->isEnabled());
    QVERIFY(stopAll->isEnabled());
    // The editor is locked (read-only, still readable) while the processes run.
    auto *file = m_window->findChild<QLineEdit *>(u"field_file"_s);
    QVERIFY(file->isReadOnly());
    QTRY_COMPARE(m_window->logTabs()->allPane()->plainText().count(u"up"_s), 3);

    QSignalSpy stopped(m_engine.get(), &ShardEngine::allStopped);
    stopAll->trigger();
    QVERIFY(stopped.wait(10000));
    QVERIFY(!m_engine->isBusy());
    QVERIFY(!stopAll->isEnabled());
    QVERIFY(startAll->isEnabled());
    QVERIFY(!file->isReadOnly());
    for (int i = 0; i < 3; ++i)
        QCOMPARE(stateOf(i), ProcessState::Stopped);
}

void TestMainWindow::stopSelectedStopsOnlyThatOne()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--run"_s})));
    startAndWaitRunning();
    m_window->processTable()->selectProcess(1);
    QCOMPARE(m_window->processTable()->selectedProcesses(), QList<int> {1});
    QAction *stop = action(u"stopSelectedAction"_s);
    QVERIFY(stop->isEnabled());
    stop->trigger();
    QTRY_COMPARE(stateOf(1), ProcessState::Stopped);
    QCOMPARE(stateOf(0), ProcessState::Running);
    QCOMPARE(stateOf(2), ProcessState::Running);

    // Start All, still on while the others run, starts only the one that is not running.
    const qint64 first = pidOf(0);
    QVERIFY(action(u"startAllAction"_s)->isEnabled());
    action(u"startAllAction"_s)->trigger();
    QTRY_COMPARE(stateOf(1), ProcessState::Running);
    QCOMPARE(pidOf(0), first);
}

void TestMainWindow::broadcastIsEchoedInEveryPane()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--ipc-connect"_s, u"--ipc-echo"_s})));
    startAndWaitRunning();
    QTRY_COMPARE(m_engine->status().ipcConnections, 3);
    for (int i = 0; i < 3; ++i)
        m_window->logTabs()->openProcess(i);

    auto *input = m_window->findChild<QLineEdit *>(u"ipcInput"_s);
    QVERIFY(input);
    input->setFocus();
    QTest::keyClicks(input, u"hello shards"_s);
    QTest::keyClick(input, Qt::Key_Return);
    QTRY_VERIFY(input->text().isEmpty()); // sent
    // A pane draws once shown (its tab current), as a user looks at it.
    for (int i = 0; i < 3; ++i)
        QTRY_VERIFY(
            m_window->logTabs()->openProcess(i)->plainText().contains(u"IPC hello shards"_s));
    m_window->logTabs()->setCurrentWidget(m_window->logTabs()->allPane());
    QTRY_COMPARE(m_window->logTabs()->allPane()->plainText().count(u"IPC hello shards"_s), 3);
}

void TestMainWindow::lateOpenedPaneShowsHistory()
{
    QVERIFY(m_window->openProfile(
        writeProfile({u"--print=first line"_s, u"--print=second line"_s, u"--run"_s}, 2)));
    startAndWaitRunning();
    QTRY_COMPARE(m_engine->process(1)->recentLines().size(), 2);
    QVERIFY(!m_window->logTabs()->processPane(1));
    LogPane *pane = m_window->logTabs()->openProcess(1);
    QVERIFY(pane);
    QTRY_VERIFY(pane->plainText().contains(u"first line"_s));
    QVERIFY(pane->plainText().contains(u"second line"_s));
    QVERIFY(pane->plainText().indexOf(u"first line"_s)
            < pane->plainText().indexOf(u"second line"_s));
}

void TestMainWindow::profileRoundTripsThroughSave()
{
    const QString path = writeProfile({u"--run"_s}, 4);
    QVERIFY(m_window->openProfile(path));
    QCOMPARE(m_window->profileEditor()->profile().maxShards, 4);
    QVERIFY(!m_window->isModified());
    auto *file = m_window->findChild<QLineEdit *>(u"field_file"_s);
    QVERIFY(file);
    QCOMPARE(file->text(), u"bot.lua"_s);
    QAction *save = action(u"saveAction"_s);
    QVERIFY(save);
    save->trigger();
    QList<ProfileError> errors;
    const Profile saved = Profile::fromFile(path, &errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(saved.maxShards, 4);
    QCOMPARE(saved.file, u"bot.lua"_s);
    QCOMPARE(saved.interpreterArgs, QStringList {u"--run"_s});
}

void TestMainWindow::tokenGoesToKeychainAndNeverToPanes()
{
    const QString token = u"NzY1.Secret-Token.QwErTy"_s;
    const QString path = writeProfile({u"--print=mine is ${DISCORD_TOKEN}"_s, u"--run"_s}, 2);
    QVERIFY(m_window->openProfile(path));
    auto *status = m_window->findChild<QLabel *>(u"statusToken"_s);
    QVERIFY(status);
    QTRY_VERIFY2(status->text().contains(u"none"_s), qPrintable(status->text()));

    // Type the token into the (modal) dialog and save it, as a user would.
    QTimer::singleShot(0, this, [token] {
        QWidget *dialog = QApplication::activeModalWidget();
        QVERIFY(dialog);
        auto *edit = dialog->findChild<QLineEdit *>(u"tokenEdit"_s);
        QVERIFY(edit);
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        QTest::keyClicks(edit, token);
        auto *save = dialog->findChild<QPushButton *>(u"saveToken"_s);
        QVERIFY(save && save->isEnabled());
        save->click();
    });
    m_window->showTokenDialog();
    QTRY_VERIFY(status->text().contains(u"stored"_s));
    QCOMPARE(m_secrets.entries.size(), 1);
    QCOMPARE(m_secrets.entries.begin().value(), token);
    QVERIFY(m_engine->hasToken());

    startAndWaitRunning();
    LogPane *all = m_window->logTabs()->allPane();
    QTRY_COMPARE(all->plainText().count(u"mine is [token]"_s), 2);
    LogPane *pane = m_window->logTabs()->openProcess(0);
    QTRY_VERIFY(pane->plainText().contains(u"mine is [token]"_s));
    QVERIFY(!all->plainText().contains(token));
    QVERIFY(!pane->plainText().contains(token));
    // Nor in the profile file.
    QFile profile(path);
    QVERIFY(profile.open(QIODevice::ReadOnly));
    QVERIFY(!profile.readAll().contains(token.toUtf8()));
}

void TestMainWindow::startKeepsOpenPanes()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--print=hello"_s, u"--run"_s}, 2)));
    LogPane *pane = m_window->logTabs()->openProcess(1);
    QVERIFY(pane);
    startAndWaitRunning();
    QCOMPARE(m_window->logTabs()->processPane(1), pane); // the same pane, still open
    m_window->logTabs()->setCurrentWidget(pane);
    QTRY_VERIFY(pane->plainText().contains(u"hello"_s));
}

void TestMainWindow::failuresAreShownOnce()
{
    // The engine reports a Discord failure and a log file problem once each (not also as a
    // notice): the window shows them from there, in the status bar and the "All" pane.
    m_window->logTabs()->setCurrentWidget(m_window->logTabs()->allPane());
    emit m_engine->gatewayFailed(u"Cannot reach Discord: Connection refused"_s);
    QCOMPARE(m_window->statusBar()->currentMessage(),
             u"Discord gateway information: Cannot reach Discord: Connection refused"_s);
    emit m_engine->logFileError(u"cannot write log file bot.log: No space left on device"_s);
    QCOMPARE(m_window->statusBar()->currentMessage(),
             u"cannot write log file bot.log: No space left on device"_s);
    LogPane *all = m_window->logTabs()->allPane();
    QTRY_VERIFY(all->plainText().contains(u"No space left on device"_s));
    QTRY_COMPARE(
        all->plainText().count(u"[manager] Discord gateway information: Cannot reach Discord"_s),
        1);
    QCOMPARE(all->plainText().count(u"[manager] cannot write log file bot.log"_s), 1);
}

void TestMainWindow::closeWhileRunningStopsFirst()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--run"_s}, 2)));
    startAndWaitRunning();
    const QList<qint64> pids {pidOf(0), pidOf(1)};
    for (qint64 pid : pids)
        QVERIFY(pid > 0 && !ProcessUtil::isGone(pid));

    int asked = 0;
    answerNextQuestion(QMessageBox::Yes, &asked);
    QVERIFY(!m_window->close()); // not yet: the processes stop first
    QCOMPARE(asked, 1);
    QVERIFY(m_window->isVisible());
    QCOMPARE(m_window->statusBar()->currentMessage(), u"Stopping all processes before quitting…"_s);
    // It closes by itself once every process has stopped, and only then.
    QTRY_VERIFY(!m_window->isVisible());
    QVERIFY(!m_engine->isBusy());
    for (qint64 pid : pids)
        QVERIFY2(ProcessUtil::isGone(pid), qPrintable(u"child %1 outlived the window"_s.arg(pid)));
    for (int i = 0; i < 2; ++i)
        QCOMPARE(stateOf(i), ProcessState::Stopped);
}

void TestMainWindow::closeWhileRunningCanBeCancelled()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--run"_s}, 2)));
    startAndWaitRunning();
    const QList<qint64> pids {pidOf(0), pidOf(1)};

    int asked = 0;
    answerNextQuestion(QMessageBox::Cancel, &asked);
    QVERIFY(!m_window->close());
    QCOMPARE(asked, 1);
    QVERIFY(m_window->isVisible());
    QVERIFY(m_engine->isBusy());
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(stateOf(i), ProcessState::Running);
        QCOMPARE(pidOf(i), pids.at(i));
        QVERIFY(!ProcessUtil::isGone(pids.at(i)));
    }
}

// Children that ignore SIGTERM, with a stop timeout ten minutes away: closing again while they
// stop kills them, without asking again, and the window closes.
void TestMainWindow::closeAgainWhileStoppingKills()
{
    QVERIFY(m_window->openProfile(
        writeProfile({u"--ignore-term"_s, u"--run"_s}, 2, {{u"stopTimeout"_s, 600000}})));
    startAndWaitRunning();
    const QList<qint64> pids {pidOf(0), pidOf(1)};
    QTRY_COMPARE(m_window->logTabs()->allPane()->plainText().count(u"IGNORING TERM"_s), 2);

    int asked = 0;
    answerNextQuestion(QMessageBox::Yes, &asked);
    QVERIFY(!m_window->close());
    QCOMPARE(asked, 1);
    for (int i = 0; i < 2; ++i)
        QTRY_COMPARE(stateOf(i), ProcessState::Stopping);
    QVERIFY(m_window->isVisible());

    answerNextQuestion(QMessageBox::Cancel, &asked); // would answer a second question, if asked
    m_window->close();
    QTRY_VERIFY(!m_window->isVisible());
    QCOMPARE(asked, 1);
    QVERIFY(!m_engine->isBusy());
    for (qint64 pid : pids)
        QVERIFY2(ProcessUtil::isGone(pid), qPrintable(u"child %1 outlived the window"_s.arg(pid)));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
