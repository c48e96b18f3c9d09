// The log pane, offscreen: lines queued and shown in order, stderr in red, ANSI colours as
// character formats with no escape code left in the text, the text and /regex/ filter, the cap
// with its "[… N lines dropped]" notice, history before live lines, following and a reader who
// scrolled up, clearing and saving. AnsiText is also tested on its own, against a bare document.

#include "ansicases.h"
#include "ansitext.h"
#include "logpane.h"
#include "text/translations.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QInputDialog>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QStringList numbered(const QString &stem, int from, int to)
{
    QStringList lines;
    for (int i = from; i < to; ++i)
        lines << stem.arg(i);
    return lines;
}

// The first fragment (a run of one format) whose text is exactly text; invalid when none is.
QTextFragment fragment(const QTextDocument *document, const QString &text)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (it.fragment().text() == text)
                return it.fragment();
        }
    }
    return {};
}

QTextCharFormat formatOf(const QTextDocument *document, const QString &text)
{
    const QTextFragment found = fragment(document, text);
    return found.isValid() ? found.charFormat() : QTextCharFormat();
}

// Renders one line into a fresh document, as the pane does for each line.
struct Rendered {
    std::unique_ptr<QTextDocument> document = std::make_unique<QTextDocument>();

    Rendered(const AnsiText &ansi, const QString &line, const QTextCharFormat &base = {})
    {
        QTextCursor cursor(document.get());
        ansi.insert(cursor, line, base);
    }
    QString text() const { return document->toPlainText(); }
    QTextCharFormat format(const QString &run) const { return formatOf(document.get(), run); }
};

} // namespace

class TestLogPane : public QObject {
    Q_OBJECT

private slots:
    // The program's English plural forms, as the window has them ("1 line dropped").
    void initTestCase()
    {
        Translations::install(*QCoreApplication::instance());
        QStandardPaths::setTestModeEnabled(true); // the cap and Time are kept in settings
    }
    void init();
    void cleanup();

    void ansiColoursBecomeFormats();
    void ansiEscapesAreNeverShown_data();
    void ansiEscapesAreNeverShown();
    void ansiCarriageReturnKeepsWhatATerminalShows();
    void ansiHasColors();

    void linesAppearInOrder();
    void stderrLinesAreRed();
    void colouredLinesRenderAsFormats();
    void plainTextFilter();
    void regexFilter();
    void invalidRegexFiltersNothing();
    void burstBeyondTheCapIsDroppedWithANotice();
    void floodStaysWithinTheCap();
    void historyComesBeforeLaterLines();
    void followingViewStaysAtTheBottom();
    void scrolledUpViewStaysPut();
    void clearEmptiesThePaneAndItsQueue();
    void hiddenPaneDrawsOnceShown();
    void saveWritesStrippedLines();
    void pausedPaneStaysStillAndCountsNewLines();
    void lineLimitIsASettingForEveryPane();
    void arrivalTimesAreAToggleAndNoticesAlwaysHaveOne();
    void textSizeIsAKeyAwayAndRemembered();

private:
    QPlainTextEdit *view() const { return m_pane->findChild<QPlainTextEdit *>(u"logView"_s); }
    QLineEdit *filterEdit() const { return m_pane->findChild<QLineEdit *>(u"filterEdit"_s); }
    // The colours the pane picks for its own palette.
    AnsiText paneColours() const { return AnsiText(view()->palette()); }

    std::unique_ptr<LogPane> m_pane;
};

void TestLogPane::init()
{
    QSettings().remove(u"logs"_s);
    m_pane = std::make_unique<LogPane>();
    m_pane->resize(640, 400);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(view());
    QVERIFY(filterEdit());
}

void TestLogPane::cleanup()
{
    m_pane.reset();
}

// ---- AnsiText -----------------------------------------------------------------------------------

void TestLogPane::ansiColoursBecomeFormats()
{
    const AnsiText ansi; // the light set: QPalette()'s base is light offscreen
    QVERIFY(!ansi.isDarkBackground());
    const Rendered r(ansi,
                     u"\x1b[31mred\x1b[0m plain \x1b[1;38;5;208mamber\x1b[38;2;1;2;3mrgb"
                     "\x1b[39mdefault\x1b[m \x1b[44mon blue"_s);
    QCOMPARE(r.text(), u"red plain amberrgbdefault on blue"_s);

    QCOMPARE(r.format(u"red"_s).foreground().color(), ansi.color(1));
    QVERIFY(!r.format(u" plain "_s).hasProperty(QTextFormat::ForegroundBrush));
    QCOMPARE(r.format(u"amber"_s).foreground().color(), QColor(255, 135, 0)); // xterm 208
    QCOMPARE(r.format(u"amber"_s).fontWeight(), int(QFont::Bold));
    QCOMPARE(r.format(u"rgb"_s).foreground().color(), QColor(1, 2, 3));
    QVERIFY(r.format(u"rgb"_s).fontWeight() == QFont::Bold); // bold outlives a colour change
    QVERIFY(!r.format(u"default"_s).hasProperty(QTextFormat::ForegroundBrush));
    QCOMPARE(r.format(u"on blue"_s).background().color(), ansi.color(4));

    // Colours are applied on top of the base format and reset to it.
    QTextCharFormat base;
    base.setForeground(QColor(10, 20, 30));
    const Rendered onBase(ansi, u"\x1b[32mgreen\x1b[0mbase"_s, base);
    QCOMPARE(onBase.format(u"green"_s).foreground().color(), ansi.color(2));
    QCOMPARE(onBase.format(u"base"_s).foreground().color(), QColor(10, 20, 30));

    // A dark view gets the other colour set.
    QPalette dark;
    dark.setColor(QPalette::Base, Qt::black);
    dark.setColor(QPalette::Text, Qt::white);
    const AnsiText darkAnsi(dark);
    QVERIFY(darkAnsi.isDarkBackground());
    QVERIFY(darkAnsi.color(1) != ansi.color(1));
    QCOMPARE(Rendered(darkAnsi, u"\x1b[31mred"_s).format(u"red"_s).foreground().color(),
             darkAnsi.color(1));
}

void TestLogPane::ansiEscapesAreNeverShown_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("shown");
    // The engine's table: the pane shows exactly what Ansi::visibleText says it does.
    for (const AnsiCase &c : ansiCases())
        QTest::newRow(c.name) << c.line << c.visible;
}

void TestLogPane::ansiEscapesAreNeverShown()
{
    QFETCH(QString, line);
    QFETCH(QString, shown);
    const Rendered r(AnsiText(), line);
    QCOMPARE(r.text(), shown);
    QCOMPARE(r.document->blockCount(), 1); // nothing became a line break either
}

void TestLogPane::ansiCarriageReturnKeepsWhatATerminalShows()
{
    const AnsiText ansi;
    // A progress bar: the last part with anything printable, attributes set before it kept.
    const Rendered progress(ansi, u"\x1b[32m10%\r20%\r\x1b[K"_s);
    QCOMPARE(progress.text(), u"20%"_s);
    QCOMPARE(progress.format(u"20%"_s).foreground().color(), ansi.color(2));
    QCOMPARE(Rendered(ansi, u"abc\r"_s).text(), u"abc"_s);
}

void TestLogPane::ansiHasColors()
{
    QVERIFY(AnsiText::hasColors(u"a\x1b[31mb"_s));
    QVERIFY(AnsiText::hasColors(u"a\x1b[0;48;2;1;2;3mb"_s));
    QVERIFY(AnsiText::hasColors(u"\x1b[31mreset later\x1b[0m"_s));
    QVERIFY(!AnsiText::hasColors(u"a\x1b[1mbold only"_s));
    QVERIFY(!AnsiText::hasColors(u"a\x1b]0;31m\x07"
                                 "b"_s)); // "31m" inside a title
    QVERIFY(!AnsiText::hasColors(u"plain"_s));
}

// ---- LogPane ------------------------------------------------------------------------------------

void TestLogPane::linesAppearInOrder()
{
    m_pane->appendLines(u"[0–2] "_s, false, {u"a"_s, u""_s, u"c"_s});
    m_pane->appendLines(QString(), true, {u"err"_s});
    m_pane->appendLines(u"[3] "_s, false, {u"d"_s});
    // Queued, not inserted on the spot: a flood must not block the caller.
    QCOMPARE(m_pane->lineCount(), 0);
    QTRY_COMPARE(m_pane->lineCount(), 5);
    QCOMPARE(m_pane->plainText(), u"[0–2] a\n[0–2] \n[0–2] c\nerr\n[3] d"_s);

    // Enough for several drain ticks, in many small appends.
    QStringList expected = m_pane->plainText().split(u'\n');
    for (int batch = 0; batch < 40; ++batch) {
        const QStringList lines = numbered(u"batch %1 line %2"_s.arg(batch) + u" %1"_s, 0, 50);
        m_pane->appendLines(QString(), batch % 3 == 0, lines);
        expected << lines;
    }
    QTRY_COMPARE(m_pane->lineCount(), int(expected.size()));
    QCOMPARE(m_pane->plainText(), expected.join(u'\n'));
}

void TestLogPane::stderrLinesAreRed()
{
    m_pane->appendLines(u"[0] "_s, false, {u"out line"_s});
    m_pane->appendLines(u"[0] "_s, true, {u"err line"_s, u"\x1b[32mcoloured err\x1b[0m"_s});
    QTRY_COMPARE(m_pane->lineCount(), 3);
    const QTextDocument *document = view()->document();
    const AnsiText colours = paneColours();

    QCOMPARE(formatOf(document, u"err line"_s).foreground().color(), colours.errorColor());
    QVERIFY(!formatOf(document, u"out line"_s).hasProperty(QTextFormat::ForegroundBrush));
    // The prefix is not part of the error text.
    QVERIFY(formatOf(document, u"[0] "_s).foreground().color() != colours.errorColor());
    // A child that colours its own stderr keeps its colours.
    QCOMPARE(formatOf(document, u"coloured err"_s).foreground().color(), colours.color(2));
}

void TestLogPane::colouredLinesRenderAsFormats()
{
    m_pane->appendLines(u"[1] "_s, false,
                        {u"\x1b[2K\x1b[31mred\x1b[0m then \x1b[1;34mbold blue\x1b[0m"_s,
                         u"\x1b]0;window title\x07\x1b[38;5;208mamber\x1b[m done"_s});
    QTRY_COMPARE(m_pane->lineCount(), 2);
    QCOMPARE(m_pane->plainText(), u"[1] red then bold blue\n[1] amber done"_s);
    QVERIFY(!m_pane->plainText().contains(QChar(0x1b)));

    const QTextDocument *document = view()->document();
    const AnsiText colours = paneColours();
    QCOMPARE(formatOf(document, u"red"_s).foreground().color(), colours.color(1));
    QCOMPARE(formatOf(document, u"bold blue"_s).foreground().color(), colours.color(4));
    QCOMPARE(formatOf(document, u"bold blue"_s).fontWeight(), int(QFont::Bold));
    QCOMPARE(formatOf(document, u"amber"_s).foreground().color(), QColor(255, 135, 0));
    QVERIFY(!formatOf(document, u" then "_s).hasProperty(QTextFormat::ForegroundBrush));
    QVERIFY(fragment(document, u" done"_s).isValid());
}

void TestLogPane::plainTextFilter()
{
    m_pane->appendLines(u"[0] "_s, false,
                        {u"Hello world"_s, u"\x1b[31mERROR\x1b[0m boom"_s, u"other"_s});
    m_pane->appendLines(u"[1] "_s, true, {u"error two"_s});
    QTRY_COMPARE(m_pane->lineCount(), 4);

    // Any case, on the text as shown: the colour codes between letters do not hide a match.
    filterEdit()->setText(u"error"_s);
    QTRY_COMPARE(m_pane->plainText(), u"[0] ERROR boom\n[1] error two"_s);
    filterEdit()->setText(u"RoR B"_s);
    QTRY_COMPARE(m_pane->plainText(), u"[0] ERROR boom"_s);
    // The prefix counts too.
    filterEdit()->setText(u"[1]"_s);
    QTRY_COMPARE(m_pane->plainText(), u"[1] error two"_s);

    // Lines arriving later go through the filter.
    filterEdit()->setText(u"error"_s);
    m_pane->appendLines(u"[1] "_s, false, {u"no match"_s, u"an Error"_s});
    QTRY_COMPARE(m_pane->plainText(), u"[0] ERROR boom\n[1] error two\n[1] an Error"_s);

    // Clearing the filter shows everything kept, in order.
    filterEdit()->clear();
    QTRY_COMPARE(m_pane->plainText(),
                 u"[0] Hello world\n[0] ERROR boom\n[0] other\n[1] error two\n"
                 "[1] no match\n[1] an Error"_s);
}

void TestLogPane::regexFilter()
{
    m_pane->appendLines(u"[0] "_s, false,
                        {u"shard 3 READY"_s, u"shard 12 ready"_s, u"heartbeat"_s});
    m_pane->appendLines(u"[1] "_s, false, {u"\x1b[33mshard 4\x1b[0m READY"_s});
    QTRY_COMPARE(m_pane->lineCount(), 4);

    filterEdit()->setText(u"/^\\[\\d\\] shard \\d ready$/"_s);
    QTRY_COMPARE(m_pane->plainText(), u"[0] shard 3 READY\n[1] shard 4 READY"_s);
    QVERIFY(filterEdit()->styleSheet().isEmpty());

    // A slash on one side only is plain text.
    filterEdit()->setText(u"/heart"_s);
    QTRY_COMPARE(m_pane->lineCount(), 0);
    filterEdit()->setText(u"/heart/"_s);
    QTRY_COMPARE(m_pane->plainText(), u"[0] heartbeat"_s);
}

void TestLogPane::invalidRegexFiltersNothing()
{
    m_pane->appendLines(QString(), false, {u"one"_s, u"two"_s, u"three"_s});
    QTRY_COMPARE(m_pane->lineCount(), 3);
    filterEdit()->setText(u"/^t/"_s);
    QTRY_COMPARE(m_pane->plainText(), u"two\nthree"_s);

    filterEdit()->setText(u"/(unclosed/"_s);
    QTRY_COMPARE(m_pane->plainText(), u"one\ntwo\nthree"_s);
    QVERIFY(!filterEdit()->styleSheet().isEmpty()); // marked
    QVERIFY(filterEdit()->toolTip().contains(u"Invalid regular expression"_s));
    m_pane->appendLines(QString(), false, {u"four"_s});
    QTRY_COMPARE(m_pane->plainText(), u"one\ntwo\nthree\nfour"_s);

    filterEdit()->setText(u"/^f/"_s);
    QTRY_COMPARE(m_pane->plainText(), u"four"_s);
    QVERIFY(filterEdit()->styleSheet().isEmpty());
}

void TestLogPane::burstBeyondTheCapIsDroppedWithANotice()
{
    m_pane->setMaximumLines(100);
    QCOMPARE(m_pane->maximumLines(), 100);
    QSignalSpy dropped(m_pane.get(), &LogPane::droppedLines);
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 0, 5000));

    QVERIFY(dropped.wait());
    QCOMPARE(dropped.size(), 1);
    // The notice takes one of the 100 places: 99 lines are shown.
    QCOMPARE(dropped.at(0).at(0).toInt(), 4901);
    QTRY_VERIFY(m_pane->plainText().endsWith(u"\nline 4999"_s));
    QCOMPARE(m_pane->lineCount(), 100);
    QCOMPARE(m_pane->plainText(),
             (QStringList {u"[… 4901 lines dropped]"_s} + numbered(u"line %1"_s, 4901, 5000))
                 .join(u'\n'));
    QVERIFY(formatOf(view()->document(), u"[… 4901 lines dropped]"_s).fontItalic());

    // What is kept (for filters and saving) is capped too.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"out.log"_s);
    QVERIFY(m_pane->saveTo(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 100);
}

void TestLogPane::floodStaysWithinTheCap()
{
    m_pane->setMaximumLines(100);
    QSignalSpy dropped(m_pane.get(), &LogPane::droppedLines);
    int maxBlocks = 0;
    connect(view()->document(), &QTextDocument::blockCountChanged, this,
            [&maxBlocks](int blocks) { maxBlocks = std::max(maxBlocks, blocks); });

    // 5,000 lines in 40 bursts a millisecond apart, so drains and appends interleave; each burst
    // is larger than the cap, so lines are dropped however fast the pane drains.
    int sent = 0;
    int maxLineCount = 0;
    QTimer feeder;
    feeder.setInterval(1);
    connect(&feeder, &QTimer::timeout, this, [&] {
        maxLineCount = std::max(maxLineCount, m_pane->lineCount());
        m_pane->appendLines(QString(), sent % 1000 == 0, numbered(u"line %1"_s, sent, sent + 125));
        sent += 125;
        if (sent == 5000)
            feeder.stop();
    });
    feeder.start();
    QTRY_COMPARE(sent, 5000);
    QTRY_VERIFY(m_pane->plainText().endsWith(u"\nline 4999"_s));

    QVERIFY(maxBlocks > 50);
    QVERIFY2(maxBlocks <= 101, qPrintable(u"%1 blocks"_s.arg(maxBlocks)));
    QVERIFY2(maxLineCount <= 101, qPrintable(u"%1 lines"_s.arg(maxLineCount)));
    QVERIFY(m_pane->lineCount() <= 101);
    QVERIFY(!dropped.isEmpty());

    // Every notice left in the pane is one that was signalled; the lines between stay in order.
    QList<int> signalled;
    for (const QList<QVariant> &arguments : std::as_const(dropped))
        signalled << arguments.at(0).toInt();
    const QRegularExpression notice(u"^\\[… (\\d+) lines? dropped\\]$"_s);
    int last = -1;
    for (const QString &line : m_pane->plainText().split(u'\n')) {
        if (const QRegularExpressionMatch m = notice.match(line); m.hasMatch()) {
            QVERIFY2(signalled.contains(m.captured(1).toInt()), qPrintable(line));
            continue;
        }
        QVERIFY2(line.startsWith(u"line "_s), qPrintable(line));
        const int number = line.sliced(5).toInt();
        QVERIFY2(number > last, qPrintable(line));
        last = number;
    }
}

void TestLogPane::historyComesBeforeLaterLines()
{
    // The All pane asks once per process; the two histories are merged by time.
    m_pane->showHistory(u"[0] "_s, {{10, false, u"a10"_s}, {30, false, u"a30"_s}});
    m_pane->showHistory(u"[1] "_s, {{20, true, u"b20"_s}, {30, false, u"b30"_s}});
    m_pane->appendLines(u"[1] "_s, false, {u"live 1"_s}); // before the history was drawn
    QTRY_COMPARE(m_pane->lineCount(), 5);
    m_pane->appendLines(u"[0] "_s, false, {u"live 2"_s});
    QTRY_COMPARE(m_pane->lineCount(), 6);
    QCOMPARE(m_pane->plainText(), u"[0] a10\n[1] b20\n[0] a30\n[1] b30\n[1] live 1\n[0] live 2"_s);
    QCOMPARE(formatOf(view()->document(), u"b20"_s).foreground().color(),
             paneColours().errorColor());
}

void TestLogPane::followingViewStaysAtTheBottom()
{
    QScrollBar *bar = view()->verticalScrollBar();
    QVERIFY(m_pane->isFollowing());
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 0, 300));
    QTRY_COMPARE(m_pane->lineCount(), 300);
    QVERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    const int oldMaximum = bar->maximum();
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 300, 400));
    QTRY_COMPARE(m_pane->lineCount(), 400);
    QVERIFY(bar->maximum() > oldMaximum);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_pane->isFollowing());
}

void TestLogPane::scrolledUpViewStaysPut()
{
    m_pane->setMaximumLines(500);
    QScrollBar *bar = view()->verticalScrollBar();
    auto *follow = m_pane->findChild<QToolButton *>(u"followButton"_s);
    QVERIFY(follow);
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 0, 300));
    QTRY_COMPARE(m_pane->lineCount(), 300);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // The reader scrolls up: following stops.
    bar->setValue(100);
    QVERIFY(!m_pane->isFollowing());
    QVERIFY(!follow->isChecked());
    const auto topLine = [this] { return view()->cursorForPosition(QPoint(2, 2)).block().text(); };
    const QString top = topLine();
    QCOMPARE(top, u"line 100"_s);

    // New lines wait below (drawing them would let the cap cut the top and slide the text).
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 300, 400));
    QTRY_VERIFY(!m_pane->pausedNotice().isEmpty());
    QCOMPARE(m_pane->lineCount(), 300);
    QCOMPARE(bar->value(), 100);
    QCOMPARE(topLine(), top);
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 400, 550));
    QTRY_VERIFY(m_pane->pausedNotice().contains(u"250"_s));
    QCOMPARE(topLine(), top);
    QVERIFY(!m_pane->isFollowing());

    // End resumes following.
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_End);
    QVERIFY(m_pane->isFollowing());
    QVERIFY(follow->isChecked());
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 550, 600));
    QTRY_VERIFY(m_pane->plainText().endsWith(u"\nline 599"_s));
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestLogPane::clearEmptiesThePaneAndItsQueue()
{
    m_pane->appendLines(QString(), false, {u"first"_s, u"second"_s});
    QTRY_COMPARE(m_pane->lineCount(), 2);
    view()->verticalScrollBar()->setValue(0);

    m_pane->clear();
    QCOMPARE(m_pane->lineCount(), 0);
    QCOMPARE(m_pane->plainText(), QString());
    QVERIFY(m_pane->isFollowing());

    // Lines still queued when the pane is cleared go too: only what comes after is shown.
    m_pane->appendLines(QString(), false, {u"queued"_s});
    m_pane->clear();
    m_pane->appendLines(QString(), false, {u"after"_s});
    QTRY_COMPARE(m_pane->lineCount(), 1);
    QCOMPARE(m_pane->plainText(), u"after"_s);

    // The button does the same; a filter applied later finds nothing from before.
    auto *clearButton = m_pane->findChild<QToolButton *>(u"clearButton"_s);
    QVERIFY(clearButton);
    clearButton->click();
    QCOMPARE(m_pane->lineCount(), 0);
    filterEdit()->setText(u"a"_s);
    filterEdit()->clear();
    m_pane->appendLines(QString(), false, {u"last"_s});
    QTRY_COMPARE(m_pane->plainText(), u"last"_s);
}

void TestLogPane::hiddenPaneDrawsOnceShown()
{
    m_pane->setMaximumLines(100);
    m_pane->appendLines(QString(), false, {u"before"_s});
    QTRY_COMPARE(m_pane->lineCount(), 1);
    QSignalSpy dropped(m_pane.get(), &LogPane::droppedLines);

    // Out of sight (another tab): lines are kept, not drawn.
    m_pane->hide();
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 0, 300));
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 300, 500));
    // A pane on screen, sent a line later, has drawn it: the hidden one had the same chance.
    LogPane onScreen;
    onScreen.show();
    QVERIFY(QTest::qWaitForWindowExposed(&onScreen));
    onScreen.appendLines(QString(), false, {u"clock"_s});
    QTRY_COMPARE(onScreen.lineCount(), 1);
    QCOMPARE(m_pane->plainText(), u"before"_s);

    // Shown again: the newest lines, drawn before the first paint. What went past the cap while
    // hidden is not a flood the pane failed to draw: no notice.
    m_pane->show();
    QVERIFY(m_pane->plainText().endsWith(u"\nline 499"_s));
    QCOMPARE(m_pane->plainText(), numbered(u"line %1"_s, 400, 500).join(u'\n'));
    QVERIFY(dropped.isEmpty());
}

void TestLogPane::saveWritesStrippedLines()
{
    m_pane->appendLines(u"[0] "_s, false, {u"\x1b[31mERROR\x1b[0m boom"_s, u"plain"_s});
    m_pane->appendLines(u"[1] "_s, true,
                        {u"\x1b]0;title\x07"
                         "err \x1b[1mbold\x1b[m"_s});
    QTRY_COMPARE(m_pane->lineCount(), 3);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto read = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(cannot read)");
    };

    const QString all = dir.filePath(u"all.log"_s);
    QVERIFY(m_pane->saveTo(all));
    QCOMPARE(read(all), QByteArray("[0] ERROR boom\n[0] plain\n[1] err bold\n"));

    // Only the lines that pass the filter.
    filterEdit()->setText(u"/err/"_s);
    const QString filtered = dir.filePath(u"filtered.log"_s);
    QVERIFY(m_pane->saveTo(filtered));
    QCOMPARE(read(filtered), QByteArray("[0] ERROR boom\n[1] err bold\n"));

    QString error;
    QVERIFY(!m_pane->saveTo(dir.filePath(u"missing/dir/x.log"_s), &error));
    QVERIFY(!error.isEmpty());
}

void TestLogPane::pausedPaneStaysStillAndCountsNewLines()
{
    m_pane->setMaximumLines(500);
    QScrollBar *bar = view()->verticalScrollBar();
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 0, 300));
    QTRY_COMPARE(m_pane->lineCount(), 300);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_pane->pausedNotice().isEmpty());

    // The reader scrolls up, and a flood comes: twice the cap.
    bar->setValue(100);
    QVERIFY(!m_pane->isFollowing());
    const QString before = m_pane->plainText();
    m_pane->appendLines(QString(), false, numbered(u"line %1"_s, 300, 1300));
    const QLocale locale;
    QTRY_VERIFY2(m_pane->pausedNotice().contains(locale.toString(1000) + u" new lines"_s),
                 qPrintable(m_pane->pausedNotice()));
    QVERIFY2(m_pane->pausedNotice().contains(locale.toString(500) + u" dropped"_s),
             qPrintable(m_pane->pausedNotice()));
    // Nothing moved under the reader: not the text, not the scroll bar.
    QCOMPARE(m_pane->plainText(), before);
    QCOMPARE(bar->value(), 100);

    // End resumes: the newest lines come, the note goes.
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_End);
    QVERIFY(m_pane->isFollowing());
    QTRY_VERIFY(m_pane->plainText().endsWith(u"\nline 1299"_s));
    QVERIFY(m_pane->pausedNotice().isEmpty());
    QVERIFY(m_pane->lineCount() <= 500);
}

void TestLogPane::lineLimitIsASettingForEveryPane()
{
    QCOMPARE(m_pane->maximumLines(), 10000);
    auto *action = m_pane->findChild<QAction *>(u"lineLimitAction"_s);
    QVERIFY(action);
    bool answered = false;
    QTimer::singleShot(0, this, [&answered] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setIntValue(2500);
        dialog->accept();
        answered = true;
    });
    QSignalSpy chosen(m_pane.get(), &LogPane::maximumLinesChosen);
    action->trigger();
    QVERIFY(answered);
    QCOMPARE(m_pane->maximumLines(), 2500);
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(QSettings().value(u"logs/maximumLines"_s).toInt(), 2500);
    // A pane made later (another process, the next run) starts with it.
    LogPane later;
    QCOMPARE(later.maximumLines(), 2500);
}

void TestLogPane::arrivalTimesAreAToggleAndNoticesAlwaysHaveOne()
{
    const QRegularExpression timed(u"^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d "_s);
    m_pane->appendLines(QString(), false, {u"bot line"_s});
    m_pane->appendNotice(u"[manager] "_s, u"process 1 stopped on request"_s);
    QTRY_COMPARE(m_pane->lineCount(), 2);
    QStringList lines = m_pane->plainText().split(u'\n');
    QCOMPARE(lines.at(0), u"bot line"_s);
    QVERIFY2(timed.match(lines.at(1)).hasMatch(), qPrintable(lines.at(1)));
    QVERIFY(lines.at(1).endsWith(u" [manager] process 1 stopped on request"_s));

    auto *time = m_pane->findChild<QToolButton *>(u"timeButton"_s);
    QVERIFY(time);
    time->click();
    QVERIFY(m_pane->isShowingTimes());
    QTRY_COMPARE(m_pane->lineCount(), 2);
    lines = m_pane->plainText().split(u'\n');
    QVERIFY2(timed.match(lines.at(0)).hasMatch(), qPrintable(lines.at(0)));
    QVERIFY(lines.at(0).endsWith(u" bot line"_s));
    QCOMPARE(lines.at(1).count(timed), 1); // one time, not two
    // Remembered for the next pane.
    LogPane later;
    QVERIFY(later.isShowingTimes());
    QVERIFY(later.findChild<QToolButton *>(u"timeButton"_s)->isChecked());
}

void TestLogPane::textSizeIsAKeyAwayAndRemembered()
{
    const qreal normal = view()->font().pointSizeF();
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Plus, Qt::ControlModifier);
    QTest::keyClick(view(), Qt::Key_Equal, Qt::ControlModifier); // Ctrl+= on keyboards without +
    QCOMPARE(view()->font().pointSizeF(), normal + 2);
    QCOMPARE(QSettings().value(u"logs/fontSize"_s).toInt(), 2);
    LogPane later;
    QCOMPARE(later.findChild<QPlainTextEdit *>(u"logView"_s)->font().pointSizeF(), normal + 2);
    QTest::keyClick(view(), Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(view()->font().pointSizeF(), normal + 1);
    QTest::keyClick(view(), Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view()->font().pointSizeF(), normal);
    QCOMPARE(QSettings().value(u"logs/fontSize"_s).toInt(), 0);
}

QTEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
