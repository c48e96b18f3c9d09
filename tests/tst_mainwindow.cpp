// The window, offscreen, with real fakeshard children: an invalid value is marked at its field and
// keeps Start disabled; Start runs the processes; Stop on a selected row stops only that one; a
// broadcast typed in the IPC console is echoed by every child into its pane; a pane opened late
// shows the process's history.

#include "fakesecretbackend.h"
#include "ipcconsole.h"
#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "processutil.h"
#include "profileeditor.h"
#include "engine/shardengine.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
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

private:
    QString writeProfile(const QStringList &behaviours, int maxShards = 3);
    QAction *action(const QString &name) const;
    ProcessState stateOf(int row) const;
    void startAndWaitRunning();

    QTemporaryDir m_dir;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    // Settings and recent files go to a test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QFile bot(m_dir.filePath(u"bot.lua"_s));
    QVERIFY(bot.open(QIODevice::WriteOnly));
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

QString TestMainWindow::writeProfile(const QStringList &behaviours, int maxShards)
{
    static int count = 0;
    const QJsonObject o{{u"file"_s, u"bot.lua"_s},
                        {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)},
                        {u"interpreterArgs"_s, QJsonArray::fromStringList(behaviours)},
                        {u"port"_s, ProcessUtil::freePort()},
                        {u"discordApi"_s, u"http://127.0.0.1:1/api"_s}, // never the real Discord from a test
                        {u"maxShards"_s, maxShards},
                        {u"waitTime"_s, 0},
                        {u"silent"_s, true},
                        {u"autoRestart"_s, false}};
    const QString path = m_dir.filePath(u"profile-%1.json"_s.arg(++count));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QString();
    f.write(QJsonDocument(o).toJson());
    return path;
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
    QVERIFY(!action(u"startAllAction"_s)->isEnabled() || m_engine->isBusy());
    QVERIFY(action(u"stopAllAction"_s)->isEnabled());
    // The editor is locked while the processes run.
    auto *file = m_window->findChild<QLineEdit *>(u"field_file"_s);
    QVERIFY(file->isReadOnly() || !file->isEnabled());
    QTRY_COMPARE(m_window->logTabs()->allPane()->plainText().count(u"up"_s), 3);
}

void TestMainWindow::stopSelectedStopsOnlyThatOne()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--run"_s})));
    startAndWaitRunning();
    m_window->processTable()->selectProcess(1);
    QCOMPARE(m_window->processTable()->selectedProcesses(), QList<int>{1});
    QAction *stop = action(u"stopSelectedAction"_s);
    QVERIFY(stop->isEnabled());
    stop->trigger();
    QTRY_COMPARE(stateOf(1), ProcessState::Stopped);
    QCOMPARE(stateOf(0), ProcessState::Running);
    QCOMPARE(stateOf(2), ProcessState::Running);
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
        QTRY_VERIFY(m_window->logTabs()->openProcess(i)->plainText().contains(u"IPC hello shards"_s));
    m_window->logTabs()->setCurrentWidget(m_window->logTabs()->allPane());
    QTRY_COMPARE(m_window->logTabs()->allPane()->plainText().count(u"IPC hello shards"_s), 3);
}

void TestMainWindow::lateOpenedPaneShowsHistory()
{
    QVERIFY(m_window->openProfile(writeProfile({u"--print=first line"_s, u"--print=second line"_s, u"--run"_s}, 2)));
    startAndWaitRunning();
    QTRY_COMPARE(m_engine->process(1)->recentLines().size(), 2);
    QVERIFY(!m_window->logTabs()->processPane(1));
    LogPane *pane = m_window->logTabs()->openProcess(1);
    QVERIFY(pane);
    QTRY_VERIFY(pane->plainText().contains(u"first line"_s));
    QVERIFY(pane->plainText().contains(u"second line"_s));
    QVERIFY(pane->plainText().indexOf(u"first line"_s) < pane->plainText().indexOf(u"second line"_s));
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
    QCOMPARE(saved.interpreterArgs, QStringList{u"--run"_s});
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
    QTRY_COMPARE(all->plainText().count(u"[manager] Discord gateway information: Cannot reach Discord"_s), 1);
    QCOMPARE(all->plainText().count(u"[manager] cannot write log file bot.log"_s), 1);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
