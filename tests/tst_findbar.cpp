// Search across the log panes (issue 14), offscreen with real fakeshard children: Ctrl+F opens
// the find bar, the count covers the All pane and every process pane (one out of sight too), F3 /
// Enter and Shift+F3 / Shift+Enter walk the matches through the panes in tab order, switching the
// tab and selecting the match, and wrap around; no match moves nothing; Esc closes the bar; lines
// that came while a pane was out of sight (not drawn yet) are found too.

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "findbar.h"
#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "shortcutsdialog.h"
#include "testbot.h"
#include "text/translations.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

class TestFindBar : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void findsAcrossPanes();
    void noMatchMovesNothing();
    void findsLinesOfPanesOutOfSight();
    void countFollowsNewLines();

private:
    // Two processes, each printing two apples (one "Apple") and a banana; the panes of both
    // processes open, the All pane in front. Tabs: All (4 apples), one process, the other (2 each).
    void runAndOpenPanes();
    QString status() const;
    LogPane *currentPane() const;
    // The match the current pane shows: its selected text, and the whole line it is in.
    QString selected() const;
    QString selectedLine() const;
    void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);

    TestBot m_bot;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
    QLineEdit *m_field = nullptr;
};

void TestFindBar::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    Translations::install(*QCoreApplication::instance()); // "8 matches", as the program reads
    QVERIFY(m_bot.isValid());
}

void TestFindBar::init()
{
    m_engine = std::make_unique<ShardEngine>();
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_field = m_window->findChild<QLineEdit *>(u"findField"_s);
    QVERIFY(m_field);
}

void TestFindBar::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_window.reset();
    m_engine.reset();
}

void TestFindBar::runAndOpenPanes()
{
    const QString path = m_bot.write({{u"interpreterArgs"_s,
                                       QJsonArray {u"--print=apple ${SHARDER_PROCESS} one"_s,
                                                   u"--print=banana ${SHARDER_PROCESS}"_s,
                                                   u"--print=Apple ${SHARDER_PROCESS} two"_s,
                                                   u"--ipc-connect"_s, u"--ipc-echo"_s}}});
    QVERIFY(m_window->openProfile(path));
    m_window->startAll();
    LogTabs *tabs = m_window->logTabs();
    QTRY_COMPARE(tabs->allPane()->plainText().count(u"banana"_s), 2);
    QTRY_COMPARE(m_engine->process(1)->recentLines().lines().size(), 3);
    QTRY_COMPARE(m_engine->process(0)->recentLines().lines().size(), 3);
    QTRY_COMPARE(m_engine->status().ipcConnections, 2);
    // Process 0's pane ends up out of sight, with its history not yet drawn.
    QVERIFY(tabs->openProcess(0));
    QVERIFY(tabs->openProcess(1));
    tabs->setCurrentIndex(0);
    QCOMPARE(tabs->count(), 3);
}

QString TestFindBar::status() const
{
    return m_window->findChild<QLabel *>(u"findStatus"_s)->text();
}

LogPane *TestFindBar::currentPane() const
{
    return qobject_cast<LogPane *>(m_window->logTabs()->currentWidget());
}

QString TestFindBar::selected() const
{
    return currentPane()->textCursor().selectedText();
}

QString TestFindBar::selectedLine() const
{
    return currentPane()->textCursor().block().text();
}

void TestFindBar::press(int key, Qt::KeyboardModifiers modifiers)
{
    QTest::keyClick(QApplication::focusWidget(), Qt::Key(key), modifiers);
}

void TestFindBar::findsAcrossPanes()
{
    runAndOpenPanes();
    LogTabs *tabs = m_window->logTabs();
    auto *bar = m_window->findBar();
    QVERIFY(bar->isHidden());

    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(bar->isVisible());
    QTRY_COMPARE(QApplication::focusWidget(), m_field);
    QTest::keyClicks(m_field, u"apple"_s);
    // 4 in the All pane, 2 in each process pane; the count waits for the typing to pause.
    QTRY_COMPARE(status(), u"8 matches"_s);

    // F3 from the All pane's top: its four apples, in its order.
    QStringList allLines;
    int lastStart = -1;
    for (int i = 1; i <= 4; ++i) {
        press(Qt::Key_F3);
        QCOMPARE(status(), u"%1 of 8"_s.arg(i));
        QCOMPARE(currentPane(), tabs->allPane());
        QCOMPARE(selected().toLower(), u"apple"_s);
        const int start = currentPane()->textCursor().selectionStart();
        QVERIFY(start > lastStart);
        lastStart = start;
        allLines << selectedLine();
    }
    QCOMPARE(allLines.filter(u"[0] "_s).size(), 2);
    QCOMPARE(allLines.filter(u"[1] "_s).size(), 2);

    // The next one is in the next tab's pane: the tab switches (Enter in the field does F3).
    auto *second = qobject_cast<LogPane *>(tabs->widget(1));
    auto *third = qobject_cast<LogPane *>(tabs->widget(2));
    press(Qt::Key_Return);
    QCOMPARE(status(), u"5 of 8"_s);
    QCOMPARE(currentPane(), second);
    QCOMPARE(tabs->currentIndex(), 1);
    QCOMPARE(selected(), u"apple"_s);
    QCOMPARE(selectedLine(), u"apple %1 one"_s.arg(second == tabs->processPane(0) ? 0 : 1));
    press(Qt::Key_F3);
    QCOMPARE(status(), u"6 of 8"_s);
    QCOMPARE(selected(), u"Apple"_s);
    press(Qt::Key_F3);
    QCOMPARE(status(), u"7 of 8"_s);
    QCOMPARE(currentPane(), third);
    QCOMPARE(selectedLine(), u"apple %1 one"_s.arg(third == tabs->processPane(0) ? 0 : 1));
    press(Qt::Key_F3);
    QCOMPARE(status(), u"8 of 8"_s);
    QCOMPARE(selectedLine(), u"Apple %1 two"_s.arg(third == tabs->processPane(0) ? 0 : 1));

    // Past the last: around to the All pane's first.
    press(Qt::Key_F3);
    QCOMPARE(status(), u"1 of 8"_s);
    QCOMPARE(currentPane(), tabs->allPane());
    QCOMPARE(selectedLine(), allLines.first());

    // Shift+F3 goes back, around the other way, into the last pane's last match.
    press(Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(status(), u"8 of 8"_s);
    QCOMPARE(currentPane(), third);
    QCOMPARE(selected(), u"Apple"_s);
    press(Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(status(), u"7 of 8"_s);
    QCOMPARE(selected(), u"apple"_s);
    press(Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(status(), u"6 of 8"_s);
    QCOMPARE(currentPane(), second);

    // Match case: "apple" only, once in each process's output.
    m_window->findChild<QToolButton *>(u"findCaseSensitive"_s)->click();
    QTRY_COMPARE(status(), u"4 matches"_s);
    QStringList seen;
    for (int i = 1; i <= 4; ++i) {
        press(Qt::Key_F3);
        QCOMPARE(selected(), u"apple"_s);
        seen << status();
    }
    const QString last = seen.last();
    seen.sort();
    QCOMPARE(seen, QStringList({u"1 of 4"_s, u"2 of 4"_s, u"3 of 4"_s, u"4 of 4"_s}));

    // Esc closes the bar; F3 goes on with the same text.
    press(Qt::Key_Escape);
    QVERIFY(bar->isHidden());
    QTest::keyClick(m_window.get(), Qt::Key_F3);
    QCOMPARE(status(), u"%1 of 4"_s.arg(last.section(u' ', 0, 0).toInt() % 4 + 1));
    QCOMPARE(selected(), u"apple"_s);

    // Listed in Help > Keyboard Shortcuts, from the Edit menu.
    const auto rows = ShortcutsDialog::shortcutsOf(m_window.get());
    const QString find = QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText);
    QVERIFY(rows.contains(std::pair {u"Edit ▸ Find in Panes"_s, find}));
    QVERIFY(rows.contains(std::pair {u"Edit ▸ Find Next"_s, u"F3"_s}));
    QVERIFY(rows.contains(std::pair {u"Edit ▸ Find Previous"_s, u"Shift+F3"_s}));
}

void TestFindBar::noMatchMovesNothing()
{
    runAndOpenPanes();
    LogTabs *tabs = m_window->logTabs();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), m_field);
    QTest::keyClicks(m_field, u"banana"_s);
    press(Qt::Key_Return);
    QCOMPARE(status(), u"1 of 4"_s);
    QCOMPARE(selected(), u"banana"_s);
    const int at = currentPane()->textCursor().selectionStart();

    m_field->selectAll();
    QTest::keyClicks(m_field, u"cherry"_s);
    QTRY_COMPARE(status(), u"No matches"_s);
    press(Qt::Key_F3);
    press(Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(status(), u"No matches"_s);
    QCOMPARE(tabs->currentIndex(), 0);
    QCOMPARE(currentPane()->textCursor().selectionStart(), at);
    QCOMPARE(selected(), u"banana"_s);
}

void TestFindBar::findsLinesOfPanesOutOfSight()
{
    runAndOpenPanes();
    LogTabs *tabs = m_window->logTabs();
    // Each child prints "IPC late kiwi" while only the All pane is in sight.
    QCOMPARE(m_engine->broadcast(u"late kiwi"_s), 2);
    QTRY_COMPARE(tabs->allPane()->plainText().count(u"late kiwi"_s), 2);
    QVERIFY(!tabs->processPane(0)->plainText().contains(u"kiwi"_s)); // queued, not drawn
    QVERIFY(!tabs->processPane(1)->plainText().contains(u"kiwi"_s));

    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), m_field);
    QTest::keyClicks(m_field, u"KIWI"_s);
    QTRY_COMPARE(status(), u"4 matches"_s);
    for (int i = 1; i <= 3; ++i)
        press(Qt::Key_F3);
    QCOMPARE(status(), u"3 of 4"_s);
    QCOMPARE(tabs->currentIndex(), 1);
    QCOMPARE(selected(), u"kiwi"_s);
    QCOMPARE(selectedLine(), u"IPC late kiwi"_s);
}

void TestFindBar::countFollowsNewLines()
{
    runAndOpenPanes();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), m_field);
    QTest::keyClicks(m_field, u"plum"_s);
    QTRY_COMPARE(status(), u"No matches"_s);
    // Lines with the term arrive while the bar is open: the count follows them (the All pane's
    // two and each process pane's one).
    QCOMPARE(m_engine->broadcast(u"ripe plum"_s), 2);
    QTRY_COMPARE_WITH_TIMEOUT(status(), u"4 matches"_s, 5000);
}

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
