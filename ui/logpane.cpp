#include "logpane.h"

#include "logtoolbar.h"
#include "output/ansi.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// Insert for about this long per timer tick, then let the event loop breathe. Layout is lazy
// (visible lines only), so the tick costs little more than this. Two panes on screen (All and a
// process) each take it in a tick: at 12 ms the window's 10 ms timer was late by 18.6 ms (p99)
// under 500,000 lines/s, at 6 ms by 9.5 ms (bench_guiflood --seconds 10).
constexpr qint64 kDrainBudgetMs = 6;
constexpr int kDrainIntervalMs = 10;
// Shaping a megabyte-long line would stall the view; the rest is kept for filtering and saving.
constexpr qsizetype kMaxShownChars = 10000;
} // namespace

LogPane::LogPane(QWidget *parent)
    : QWidget(parent)
{
    m_toolBar = new LogToolBar(this);
    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(u"logView"_s);
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    const QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_view->setFont(font);
    m_view->setTabStopDistance(QFontMetricsF(font).horizontalAdvance(u' ') * 8);
    m_maxLines = std::max(1, QSettings().value(LogPaneKeys::maximumLines, 10000).toInt());
    m_showTimes = QSettings().value(LogPaneKeys::showTimes, false).toBool();
    m_toolBar->setShowingTimes(m_showTimes);
    m_view->setMaximumBlockCount(m_maxLines);
    m_view->installEventFilter(this);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &LogPane::showContextMenu);
    m_lineLimitAction = new QAction(tr("Line Limit…"), this);
    m_lineLimitAction->setObjectName(u"lineLimitAction"_s);
    connect(m_lineLimitAction, &QAction::triggered, this, &LogPane::chooseMaximumLines);
    m_pausedLabel = new QLabel(this);
    m_pausedLabel->setObjectName(u"pausedNotice"_s);
    m_pausedLabel->setForegroundRole(QPalette::PlaceholderText);
    m_pausedLabel->hide();
    createZoomActions();
    setFontSizeStep(QSettings().value(LogPaneKeys::fontSize, 0).toInt());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_pausedLabel);

    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(kDrainIntervalMs);
    connect(&m_drainTimer, &QTimer::timeout, this, &LogPane::drain);

    connect(m_toolBar, &LogToolBar::filterChanged, this, [this](const LogFilter &filter) {
        m_filter = filter;
        rerender();
    });
    connect(m_toolBar, &LogToolBar::followToggled, this, &LogPane::setFollowing);
    connect(m_toolBar, &LogToolBar::wrapToggled, this, [this](bool wrap) {
        m_view->setLineWrapMode(wrap ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
        if (m_following)
            scrollToBottom();
    });
    connect(m_toolBar, &LogToolBar::timesToggled, this, [this](bool show) {
        QSettings().setValue(LogPaneKeys::showTimes, show);
        setShowingTimes(show);
    });
    connect(m_toolBar, &LogToolBar::clearClicked, this, &LogPane::clear);
    connect(m_toolBar, &LogToolBar::saveClicked, this, &LogPane::saveWithDialog);

    QScrollBar *scrollBar = m_view->verticalScrollBar();
    connect(scrollBar, &QScrollBar::valueChanged, this, &LogPane::onScrolled);
    // Page Up/Down move the view with the scroll bar's signals blocked; the viewport still says.
    connect(m_view, &QPlainTextEdit::updateRequest, this, [this, scrollBar](const QRect &, int dy) {
        if (dy != 0)
            onScrolled(scrollBar->value());
    });
    // The range also changes after inserts, resizes and wrapping; a following view keeps up.
    connect(scrollBar, &QScrollBar::rangeChanged, this, [this] {
        if (m_following)
            scrollToBottom();
    });

    // Ctrl+F is the window's search across panes; the pane's filter has Ctrl+Shift+F. An action,
    // so Help > Keyboard Shortcuts lists it.
    auto *filter = new QAction(tr("Filter Pane"), this);
    filter->setObjectName(u"filterPaneAction"_s);
    filter->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_F);
    filter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(filter, &QAction::triggered, this, &LogPane::focusFilter);
    addAction(filter);

    m_ansi.setPalette(m_view->palette());
    updateFormats();
}

LogPane::~LogPane() = default;

void LogPane::appendLines(const QString &prefix, bool isStderr, const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    commitHistory();
    // Only the newest maximumLines of a burst can be shown or kept; the rest are dropped here
    // without the cost of copying them through the queue.
    const qsizetype skip = std::max<qsizetype>(0, lines.size() - m_maxLines);
    const qint64 now = QDateTime::currentMSecsSinceEpoch(); // the arrival time, for Time
    qint64 dropped = 0;
    for (qsizetype i = 0; i < skip; ++i) {
        if (matches({prefix, lines.at(i), now, isStderr}))
            ++dropped;
    }
    countDropped(dropped);
    for (qsizetype i = skip; i < lines.size(); ++i)
        add({prefix, lines.at(i), now, isStderr});
    trimQueue(m_maxLines);
    scheduleDrain();
}

void LogPane::showHistory(const QString &prefix, const QList<OutputLine> &lines)
{
    for (const OutputLine &line : lines)
        m_pendingHistory.append({prefix, line.text, line.timeMs, line.isStderr});
    scheduleDrain();
}

void LogPane::commitHistory()
{
    if (m_pendingHistory.isEmpty())
        return;
    std::stable_sort(m_pendingHistory.begin(), m_pendingHistory.end(),
                     [](const Entry &a, const Entry &b) { return a.timeMs < b.timeMs; });
    // Old history beyond the cap is not a flood: it is left out without a notice.
    const qsizetype skip = std::max<qsizetype>(0, m_pendingHistory.size() - m_maxLines);
    for (qsizetype i = skip; i < m_pendingHistory.size(); ++i)
        add(m_pendingHistory.at(i));
    m_pendingHistory.clear();
    trimQueue(m_maxLines);
}

void LogPane::add(const Entry &entry)
{
    m_kept.push_back(entry);
    if (m_kept.size() > size_t(m_maxLines))
        m_kept.pop_front();
    if (matches(entry))
        m_queue.push_back(entry);
}

void LogPane::trimQueue(int lines)
{
    if (m_queue.size() <= size_t(lines))
        return;
    const auto excess = qint64(m_queue.size()) - lines;
    m_queue.erase(m_queue.begin(), m_queue.begin() + excess);
    countDropped(excess);
}

void LogPane::countDropped(qint64 lines)
{
    // Only a pane on screen drops lines it could not draw in time. One out of sight keeps the
    // newest; the older ones went past the cap, as they would have scrolled out of the document.
    if (isVisible())
        m_queueDropped += lines;
}

void LogPane::scheduleDrain()
{
    if (isVisible() && !m_drainTimer.isActive())
        m_drainTimer.start();
}

void LogPane::drain()
{
    // Drawing costs the most (a flooded pane takes its whole budget every tick), and a pane out of
    // sight would draw lines that the cap cuts before anyone sees them; showEvent() catches up.
    if (!isVisible() && !m_drawingAll)
        return;
    commitHistory();
    if (!m_following) {
        // A paused pane stays still for its reader: drawing at the bottom would cut lines at the
        // top (the cap) and move the text. The new lines wait, counted.
        updatePausedNotice();
        return;
    }
    if (m_queue.empty() && m_queueDropped == 0)
        return;

    QScrollBar *scrollBar = m_view->verticalScrollBar();
    if (m_queueDropped > 0)
        trimQueue(m_maxLines - 1); // room for the notice, or the cap would cut it at once
    const int dropped = int(std::min<qint64>(std::exchange(m_queueDropped, 0), INT_MAX));
    int inserted = 0;

    m_scrolling = true;
    QTextDocument *document = m_view->document();
    QTextCursor cursor(document);
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    if (dropped > 0) {
        startBlock(cursor);
        cursor.insertText(tr("[… %n line(s) dropped]", nullptr, dropped), m_noticeFormat);
        ++inserted;
    }
    QElapsedTimer clock;
    clock.start();
    while (!m_queue.empty()) {
        insertEntry(cursor, m_queue.front());
        m_queue.pop_front();
        if (++inserted % 128 == 0 && !m_drawingAll && clock.elapsed() >= kDrainBudgetMs)
            break;
    }
    trimDocument();
    cursor.endEditBlock();

    scrollBar->setValue(scrollBar->maximum());
    m_scrolling = false;

    if (!m_queue.empty() || !m_pendingHistory.isEmpty())
        scheduleDrain();
    if (dropped > 0)
        emit droppedLines(dropped);
}

void LogPane::trimDocument()
{
    // The document would cap itself (setMaximumBlockCount), but it finds the cut by moving a
    // cursor block by block, laying out (shaping) every line it removes: 40 ms per 2,000 lines.
    // Cutting by position lays out nothing.
    QTextDocument *document = m_view->document();
    if (const int excess = document->blockCount() - m_maxLines; excess > 0) {
        QTextCursor top(document);
        top.setPosition(document->findBlockByNumber(excess).position(), QTextCursor::KeepAnchor);
        top.removeSelectedText();
    }
}

void LogPane::startBlock(QTextCursor &cursor)
{
    if (m_hasLines)
        cursor.insertBlock();
    m_hasLines = true;
}

void LogPane::insertEntry(QTextCursor &cursor, const Entry &entry)
{
    startBlock(cursor);
    if (m_showTimes || entry.isNotice)
        cursor.insertText(timeText(entry), m_prefixFormat);
    if (!entry.prefix.isEmpty())
        cursor.insertText(entry.prefix, m_prefixFormat);
    // A child that colours its own stderr (many loggers write everything there) keeps its colours.
    const bool red = entry.isStderr && !AnsiText::hasColors(entry.text);
    const QTextCharFormat &format = red ? m_stderrFormat : m_plainFormat;
    if (entry.text.size() <= kMaxShownChars) {
        m_ansi.insert(cursor, entry.text, format);
        return;
    }
    m_ansi.insert(cursor, entry.text.first(kMaxShownChars), format);
    cursor.insertText(
        tr(" [… %n more characters]", nullptr, int(entry.text.size() - kMaxShownChars)),
        m_noticeFormat);
}

bool LogPane::matches(const Entry &entry) const
{
    return m_filter.isEmpty() || m_filter.matches(entry.prefix + Ansi::strip(entry.text));
}

void LogPane::rerender()
{
    // What the new filter (or colours) shows is drawn at once, newest in view.
    m_following = true;
    m_toolBar->setFollowing(true);
    updatePausedNotice();
    commitHistory();
    m_queue.clear();
    m_queueDropped = 0;
    for (const Entry &entry : m_kept) {
        if (matches(entry))
            m_queue.push_back(entry);
    }
    clearDocument();
    drain(); // the first chunk now, so the view does not flash empty
}

void LogPane::clearDocument()
{
    m_scrolling = true;
    m_view->document()->clear();
    m_hasLines = false;
    m_scrolling = false;
}

void LogPane::clear()
{
    m_drainTimer.stop();
    m_pendingHistory.clear();
    m_kept.clear();
    m_queue.clear();
    m_queueDropped = 0;
    clearDocument();
    setFollowing(true);
}

void LogPane::setMaximumLines(int lines)
{
    lines = std::max(1, lines);
    if (lines == m_maxLines)
        return;
    m_maxLines = lines;
    m_scrolling = true;
    trimDocument();
    m_scrolling = false;
    m_view->setMaximumBlockCount(lines);
    if (m_kept.size() > size_t(lines))
        m_kept.erase(m_kept.begin(), m_kept.end() - lines);
    trimQueue(lines);
}

int LogPane::lineCount() const
{
    return m_hasLines ? m_view->document()->blockCount() : 0;
}

QString LogPane::plainText() const
{
    return m_view->toPlainText();
}

void LogPane::focusFilter()
{
    m_toolBar->focusFilter();
}

void LogPane::setFollowing(bool follow)
{
    const bool resumed = follow && !m_following;
    m_following = follow;
    m_toolBar->setFollowing(follow);
    updatePausedNotice();
    if (!follow)
        return;
    scrollToBottom();
    if (resumed)
        drain(); // what waited while paused
}

void LogPane::scrollToBottom()
{
    QScrollBar *scrollBar = m_view->verticalScrollBar();
    const bool wasScrolling = std::exchange(m_scrolling, true);
    scrollBar->setValue(scrollBar->maximum());
    m_scrolling = wasScrolling;
}

void LogPane::onScrolled(int value)
{
    if (m_scrolling)
        return;
    // The reader moved the view: following stops above the bottom and resumes at it.
    const bool atBottom = value >= m_view->verticalScrollBar()->maximum();
    if (atBottom != m_following)
        setFollowing(atBottom);
}

void LogPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    drain(); // what came while out of sight, before the first paint
}

bool LogPane::eventFilter(QObject *watched, QEvent *event)
{
    const auto type = event->type();
    if (watched == m_view && type == QEvent::PaletteChange) // a light/dark switch
        onViewPaletteChanged();
    if (type != QEvent::KeyPress && type != QEvent::ShortcutOverride)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (watched == m_view && type == QEvent::KeyPress && !(key->modifiers() & Qt::ShiftModifier)) {
        if (key->key() == Qt::Key_End) {
            setFollowing(true);
            return true;
        }
        if (key->key() == Qt::Key_Home) {
            m_view->verticalScrollBar()->setValue(0);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LogPane::onViewPaletteChanged()
{
    const bool wasDark = m_ansi.isDarkBackground();
    m_ansi.setPalette(m_view->palette());
    updateFormats();
    if (m_ansi.isDarkBackground() != wasDark)
        rerender(); // colours already in the document were chosen for the other background
}

void LogPane::updateFormats()
{
    m_plainFormat = QTextCharFormat();
    m_stderrFormat = QTextCharFormat();
    m_stderrFormat.setForeground(m_ansi.errorColor());
    m_prefixFormat = QTextCharFormat();
    m_prefixFormat.setForeground(m_ansi.mutedColor());
    m_noticeFormat = m_prefixFormat;
    m_noticeFormat.setFontItalic(true);
}

bool LogPane::saveTo(const QString &fileName, QString *error)
{
    commitHistory();
    QSaveFile file(fileName);
    if (file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        QByteArray chunk;
        for (const Entry &entry : m_kept) {
            if (!matches(entry))
                continue;
            if (m_showTimes || entry.isNotice)
                chunk += timeText(entry).toUtf8();
            chunk += (entry.prefix + Ansi::strip(entry.text)).toUtf8();
            chunk += '\n';
            if (chunk.size() >= 64 * 1024) {
                file.write(chunk);
                chunk.clear();
            }
        }
        file.write(chunk);
        if (file.commit())
            return true;
    }
    if (error)
        *error = file.errorString();
    return false;
}

void LogPane::saveWithDialog()
{
    // Shared by every pane, so the second save starts where the first one went.
    static QString lastDir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = m_saveFileName.isEmpty() ? u"output.log"_s : m_saveFileName;
    const QString fileName
        = QFileDialog::getSaveFileName(this, tr("Save Output"), QDir(lastDir).filePath(suggested),
                                       tr("Log files (*.log *.txt);;All files (*)"));
    if (fileName.isEmpty())
        return;
    lastDir = QFileInfo(fileName).absolutePath();
    QString error;
    if (!saveTo(fileName, &error)) {
        QMessageBox::warning(
            this, tr("Save Output"),
            tr("Could not save %1:\n%2").arg(QDir::toNativeSeparators(fileName), error));
    }
}
