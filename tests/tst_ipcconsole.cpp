// The IPC console, offscreen, with real fakeshard children on a ShardEngine: a sent message is
// recorded (marked, with its target and how many connections it reached); control lines are
// hidden until asked for; Up/Down recall earlier messages; the view follows new rows again once
// scrolled back to the bottom; Copy copies the selected rows whole.

#include "engine/shardengine.h"
#include "ipcconsole.h"
#include "ipcmessagemodel.h"
#include "testbot.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestIpcConsole : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_bot.isValid()); }
    void init();
    void cleanup();
    void sentMessagesAreRecordedAndControlLinesHidden();
    void upAndDownRecallEarlierMessages();
    void followingResumesAtTheBottom();
    void copyCopiesTheSelectedRows();

private:
    void startBots(const QStringList &behaviours);
    void send(const QString &text);
    // The rows the view shows, as "From | Message".
    QStringList shownRows() const;

    TestBot m_bot;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<IpcMessageModel> m_model;
    std::unique_ptr<IpcConsole> m_console;
    QTableView *m_view = nullptr;
    QLineEdit *m_input = nullptr;
};

void TestIpcConsole::init()
{
    m_engine = std::make_unique<ShardEngine>();
    m_model = std::make_unique<IpcMessageModel>(m_engine.get());
    m_console = std::make_unique<IpcConsole>(m_engine.get(), m_model.get());
    m_console->resize(700, 300);
    m_console->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_console.get()));
    m_view = m_console->findChild<QTableView *>(u"ipcMessages"_s);
    m_input = m_console->findChild<QLineEdit *>(u"ipcInput"_s);
    QVERIFY(m_view && m_input);
}

void TestIpcConsole::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_console.reset();
    m_model.reset();
    m_engine.reset();
}

void TestIpcConsole::startBots(const QStringList &behaviours)
{
    QList<ProfileError> errors;
    QVERIFY(m_engine->setProfile(m_bot.profile(behaviours, 2), &errors));
    QString error;
    QVERIFY2(m_engine->startAll(&error), qPrintable(error));
    QTRY_COMPARE(m_engine->status().ipcConnections, 2);
}

void TestIpcConsole::send(const QString &text)
{
    m_input->setFocus();
    m_input->setText(text);
    QTest::keyClick(m_input, Qt::Key_Return);
}

QStringList TestIpcConsole::shownRows() const
{
    QStringList rows;
    const QAbstractItemModel *shown = m_view->model();
    for (int r = 0; r < shown->rowCount(); ++r)
        rows << shown->index(r, IpcMessageModel::From).data().toString() + u" | "_s
                + shown->index(r, IpcMessageModel::Message).data().toString();
    return rows;
}

void TestIpcConsole::sentMessagesAreRecordedAndControlLinesHidden()
{
    startBots({u"--ipc-connect"_s, u"--ipc-send={\"op\":\"ready\"}"_s,
               u"--ipc-send={\"op\":\"stats\",\"guilds\":3}"_s, u"--ipc-send=data line"_s,
               u"--run"_s});
    QTRY_VERIFY(m_model->rowCount() >= 6);
    // The children's control lines are in the model, not in view.
    QCOMPARE(shownRows().filter(u"data line"_s).size(), 2);
    QVERIFY2(shownRows().filter(u"\"op\""_s).isEmpty(), qPrintable(shownRows().join(u'\n')));
    auto *showControl = m_console->findChild<QCheckBox *>(u"ipcShowControl"_s);
    QVERIFY(showControl);
    showControl->setChecked(true);
    QCOMPARE(shownRows().filter(u"\"op\""_s).size(), 4);
    showControl->setChecked(false);

    // What the user sends is recorded: marked as sent, to whom, and how many it reached.
    send(u"hello all"_s);
    QTRY_VERIFY(m_input->text().isEmpty());
    QTRY_COMPARE(shownRows().filter(u"hello all"_s).size(), 1);
    const QString row = shownRows().filter(u"hello all"_s).first();
    QVERIFY2(row.startsWith(u"→ all processes (reached 2)"_s), qPrintable(row));
    const QModelIndex index = m_model->index(m_model->rowCount() - 1, IpcMessageModel::From);
    QVERIFY(index.data(IpcMessageModel::SentRole).toBool());
}

void TestIpcConsole::upAndDownRecallEarlierMessages()
{
    startBots({u"--ipc-connect"_s, u"--run"_s});
    send(u"first"_s);
    QTRY_VERIFY(m_input->text().isEmpty());
    send(u"second"_s);
    QTRY_VERIFY(m_input->text().isEmpty());
    QTest::keyClicks(m_input, u"draft"_s);
    QTest::keyClick(m_input, Qt::Key_Up);
    QCOMPARE(m_input->text(), u"second"_s);
    QTest::keyClick(m_input, Qt::Key_Up);
    QCOMPARE(m_input->text(), u"first"_s);
    QTest::keyClick(m_input, Qt::Key_Up); // the oldest stays
    QCOMPARE(m_input->text(), u"first"_s);
    QTest::keyClick(m_input, Qt::Key_Down);
    QCOMPARE(m_input->text(), u"second"_s);
    QTest::keyClick(m_input, Qt::Key_Down);
    QCOMPARE(m_input->text(), u"draft"_s);
}

void TestIpcConsole::followingResumesAtTheBottom()
{
    // Messages as the engine reports them (a chatty bot), without the bot.
    auto receive = [this](int from, int to) {
        for (int i = from; i < to; ++i)
            emit m_engine->ipcMessage(1, 0, u"message %1"_s.arg(i));
        m_model->flush();
    };
    QScrollBar *bar = m_view->verticalScrollBar();
    receive(0, 200);
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // Scrolled up: the view stays.
    bar->setValue(10);
    receive(200, 300);
    QCoreApplication::processEvents(); // lets a queued scroll run, were there one
    QTRY_VERIFY(bar->maximum() > 150);
    QCOMPARE(bar->value(), 10);

    // Back at the bottom: it follows again.
    bar->setValue(bar->maximum());
    receive(300, 400);
    QTRY_VERIFY(m_view->indexAt(QPoint(5, m_view->viewport()->height() - 5)).row() >= 390);
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestIpcConsole::copyCopiesTheSelectedRows()
{
    emit m_engine->ipcMessage(1, -1, u"one"_s);
    emit m_engine->ipcMessage(1, -1, u"two "_s + QString(2000, u'x'));
    emit m_engine->ipcMessage(1, -1, u"three"_s);
    m_model->flush();
    QCOMPARE(m_view->model()->rowCount(), 3);
    m_view->selectionModel()->select(m_view->model()->index(1, 0),
                                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    m_view->selectionModel()->select(m_view->model()->index(2, 0),
                                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    auto *copy = m_console->findChild<QAction *>(u"ipcCopyAction"_s);
    QVERIFY(copy);
    QVERIFY(m_view->actions().contains(copy)); // in the view's context menu
    copy->trigger();
    const QStringList lines = QApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).endsWith(u"\ttwo "_s + QString(2000, u'x'))); // whole, not cut
    QVERIFY(lines.at(1).contains(u"outside client\tthree"_s));
}

QTEST_MAIN(TestIpcConsole)
#include "tst_ipcconsole.moc"
