// Issue 14 item 10, the window at 1024×700 (a small laptop screen) with every dock open: the centre
// keeps a usable width, the process table's State and Gateway columns show their real texts
// whole, a problem appearing in the profile form does not move the fields below it, and the plan
// preview's header is not cut. Offscreen fonts differ from a desktop's, so widths are checked
// against the font's own metrics, not against pixel counts.

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "mainwindow.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "profileeditor.h"
#include "testbot.h"

#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
// What a process table and its log panes need to be read side by side with the docks.
constexpr int kMinCentreWidth = 480;
const QSize kSmallScreen(1024, 700);

// The scroll area the profile form scrolls in.
QScrollArea *scrollAreaOf(QWidget *widget)
{
    while (widget && !qobject_cast<QScrollArea *>(widget))
        widget = widget->parentWidget();
    return qobject_cast<QScrollArea *>(widget);
}
} // namespace

class TestWindowLayout : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void centreKeepsRoomWithEveryDock();
    void centreKeepsRoomAfterWideDocksRestored();
    void stateAndGatewayTextsFit();
    void problemDoesNotMoveFieldsBelow();
    void planHeaderFits();
    void firstRunFitsTheScreen();
    void profileFormDoesNotScrollSideways();

private:
    void makeWindow();
    void showEveryDock();
    int centreWidth() const;

    TestBot m_bot;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestWindowLayout::init()
{
    // Each test starts as a first run: no layout kept from another.
    QSettings().remove(u"window"_s);
    QSettings().remove(u"lastProfile"_s);
    m_engine = std::make_unique<ShardEngine>();
}

void TestWindowLayout::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_window.reset();
    m_engine.reset();
}

void TestWindowLayout::makeWindow()
{
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->resize(kSmallScreen);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWindowLayout::showEveryDock()
{
    const QList<QDockWidget *> docks = m_window->findChildren<QDockWidget *>();
    QVERIFY(docks.size() >= 3);
    for (QDockWidget *dock : docks)
        dock->show();
    for (QDockWidget *dock : docks) {
        QTRY_VERIFY(dock->isVisible());
        QVERIFY2(!dock->isFloating(), qPrintable(dock->objectName()));
    }
}

int TestWindowLayout::centreWidth() const
{
    QApplication::processEvents(); // the main window lays its docks out in a posted event
    return m_window->centralWidget()->width();
}

// The profile editor and the details dock took 774 of 1024 pixels: a table 250 px wide.
void TestWindowLayout::centreKeepsRoomWithEveryDock()
{
    makeWindow();
    QVERIFY(m_window->openProfile(m_bot.write({})));
    showEveryDock();
    QTRY_COMPARE(m_window->size(), kSmallScreen);
    // The window can still be made that small: the docks give way, not the screen.
    QVERIFY(m_window->minimumSizeHint().width() <= kSmallScreen.width());
    QVERIFY2(centreWidth() >= kMinCentreWidth, qPrintable(QString::number(centreWidth())));
}

// A layout kept from a big screen (docks 500 px wide) opened on the small one.
void TestWindowLayout::centreKeepsRoomAfterWideDocksRestored()
{
    makeWindow();
    m_window->resize(1800, 1000);
    showEveryDock();
    auto *profile = m_window->findChild<QDockWidget *>(u"profileDock"_s);
    auto *details = m_window->findChild<QDockWidget *>(u"detailsDock"_s);
    m_window->resizeDocks({profile, details}, {500, 500}, Qt::Horizontal);
    QTRY_VERIFY(profile->width() >= 450);
    m_window->close(); // saves the layout
    m_window.reset();

    makeWindow();
    m_window->resize(kSmallScreen);
    QVERIFY(m_window->openProfile(m_bot.write({})));
    showEveryDock();
    QVERIFY2(centreWidth() >= kMinCentreWidth, qPrintable(QString::number(centreWidth())));
}

// "restarting i…" and "1/2 ready,…": the texts of a real run, each checked in its cell.
void TestWindowLayout::stateAndGatewayTextsFit()
{
    makeWindow();
    showEveryDock();
    ProcessTableView *table = m_window->processTable();
    const auto checkFits = [table](int column, const QString &expected) {
        const QAbstractItemModel *model = table->model();
        QModelIndex cell;
        QTRY_VERIFY_WITH_TIMEOUT(
            (cell = model->index(0, column)).data().toString().startsWith(expected), 10000);
        const QString text = cell.data().toString();
        // As wide as the delegate asks for the text (its margins, the state's colour sign).
        const int needed = std::max(table->sizeHintForIndex(cell).width(),
                                    table->fontMetrics().horizontalAdvance(text));
        QVERIFY2(
            table->columnWidth(column) >= needed,
            qPrintable(u"%1: %2 < %3"_s.arg(text).arg(table->columnWidth(column)).arg(needed)));
        // Narrowed by the user, it is elided: the tooltip still has it whole.
        QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(text), qPrintable(text));
    };

    // One shard ready, the other reconnecting, as Discordia logs them.
    QVERIFY(m_window->openProfile(
        m_bot.write({{u"maxShards"_s, 2},
                     {u"shardsPerProcess"_s, 2},
                     {u"interpreterArgs"_s,
                      QJsonArray {u"--print=Shard 0 : Received READY"_s,
                                  u"--print=Shard 1 : Reconnecting"_s, u"--run"_s}}})));
    m_window->startAll();
    checkFits(ProcessTableModel::Gateway, u"1/2 ready, 1 reconnecting"_s);
    if (QTest::currentTestFailed())
        return;
    m_engine->stopAll();
    QTRY_VERIFY(!m_engine->isBusy());

    // A crash with the default longest restart delay: "restarting in 60 s".
    QVERIFY(
        m_window->openProfile(m_bot.write({{u"maxShards"_s, 1},
                                           {u"autoRestart"_s, true},
                                           {u"restartDelay"_s, 60000},
                                           {u"interpreterArgs"_s, QJsonArray {u"--exit=1"_s}}})));
    m_window->startAll();
    checkFits(ProcessTableModel::State, u"restarting in "_s);
}

void TestWindowLayout::problemDoesNotMoveFieldsBelow()
{
    makeWindow();
    QVERIFY(m_window->openProfile(m_bot.write({})));
    showEveryDock();
    ProfileEditor *editor = m_window->profileEditor();
    QVERIFY(editor->isValid());
    auto *file = editor->findChild<QLineEdit *>(u"field_file"_s);
    auto *below = editor->findChild<QWidget *>(u"field_interpreter"_s);
    QVERIFY(file && below);
    // Laid out at the dock's width: the form fits it, the fields have their height.
    QScrollArea *form = scrollAreaOf(file);
    QVERIFY(form);
    QTRY_COMPARE(form->widget()->width(),
                 std::max(form->viewport()->width(), form->widget()->minimumSizeHint().width()));
    QTRY_VERIFY(file->height() >= file->sizeHint().height());
    const QPoint fileBefore = file->mapTo(m_window.get(), QPoint(0, 0));
    const QPoint before = below->mapTo(m_window.get(), QPoint(0, 0));
    file->setFocus();
    file->selectAll();
    QTest::keyClicks(file, u"no-such-bot.lua"_s);
    QVERIFY(!editor->isValid());
    // The problem's text laid out, wherever it is shown.
    auto *error = editor->findChild<QLabel *>(u"error_file"_s);
    QTRY_VERIFY(error->isVisible() && error->height() > 0);
    QCOMPARE(file->mapTo(m_window.get(), QPoint(0, 0)), fileBefore);
    QCOMPARE(below->mapTo(m_window.get(), QPoint(0, 0)), before);
}

// The plan's columns in the form's narrow field column: "Process | Sh" and the rest cut off.
void TestWindowLayout::planHeaderFits()
{
    makeWindow();
    QVERIFY(m_window->openProfile(m_bot.write({{u"maxShards"_s, 24}, {u"shardsPerProcess"_s, 4}})));
    showEveryDock();
    auto *tree = m_window->findChild<QTreeWidget *>(u"planPreview"_s);
    QScrollArea *form = scrollAreaOf(tree);
    QVERIFY(tree && form);
    QApplication::processEvents();
    QHeaderView *header = tree->header();
    const QFontMetrics fm(header->font());
    const int margin = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    for (int section = 0; section < header->count(); ++section) {
        const QString label = tree->headerItem()->text(section);
        const int needed = fm.horizontalAdvance(label) + 2 * margin;
        QVERIFY2(header->sectionSize(section) >= needed, qPrintable(label));
        // Its right end in view: in the list's own width, and in the form's visible part.
        const int right = header->sectionViewportPosition(section) + needed;
        QVERIFY2(right <= tree->viewport()->width(), qPrintable(label));
        const QPoint inForm = header->viewport()->mapTo(form->viewport(), QPoint(right, 0));
        QVERIFY2(inForm.x() <= form->viewport()->width(),
                 qPrintable(u"%1 ends at %2 of %3"_s.arg(label)
                                .arg(inForm.x())
                                .arg(form->viewport()->width())));
    }
}

// The first run's size was a fixed 1280×820: on a 1280×720 screen the IPC console's input and the
// status bar were below its edge. The offscreen screen is smaller than that too. The profile form
// scrolled sideways by 10 px in its first-run dock, and the IPC console took 12 lines of a small
// screen.
void TestWindowLayout::firstRunFitsTheScreen()
{
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QApplication::processEvents();
    const QRect room = m_window->screen()->availableGeometry();
    QVERIFY2(room.height() < 820, "the offscreen screen is smaller than the preferred size");
    QVERIFY2(m_window->frameGeometry().height() <= room.height(),
             qPrintable(u"%1 > %2"_s.arg(m_window->frameGeometry().height()).arg(room.height())));
    QVERIFY(m_window->frameGeometry().width() <= room.width());
    QVERIFY(m_window->statusBar()->isVisible());
    const QPoint statusBottom
        = m_window->statusBar()->mapTo(m_window.get(), QPoint(0, m_window->statusBar()->height()));
    QVERIFY(statusBottom.y() <= m_window->height());
    auto *ipcDock = m_window->findChild<QDockWidget *>(u"ipcDock"_s);
    QVERIFY(ipcDock && ipcDock->isVisible());
    QVERIFY2(ipcDock->height() <= m_window->height() / 4 + ipcDock->minimumSizeHint().height(),
             qPrintable(u"%1 of %2"_s.arg(ipcDock->height()).arg(m_window->height())));
}

// The profile form scrolled sideways by 10 px in its first-run dock: the labels stayed beside
// their fields below the width they need so.
void TestWindowLayout::profileFormDoesNotScrollSideways()
{
    makeWindow();
    QVERIFY(m_window->openProfile(m_bot.write({})));
    auto *form = m_window->findChild<QScrollArea *>(u"formScroll"_s);
    QVERIFY(form);
    QTRY_VERIFY(form->isVisible());
    QApplication::processEvents();
    QVERIFY2(!form->horizontalScrollBar()->isVisible(),
             qPrintable(u"the form scrolls sideways by %1 px"_s.arg(
                 form->horizontalScrollBar()->maximum())));
}

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
