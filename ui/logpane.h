#pragma once

#include "ansitext.h"
#include "logtoolbar.h"
#include "process/recentlines.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTextCharFormat>
#include <QTimer>
#include <QWidget>

#include <deque>

class QAction;
class QLabel;
class QPlainTextEdit;
class QTextCursor;

// Where the panes' settings are kept (QSettings), shared by every pane.
namespace LogPaneKeys {
inline constexpr const char *maximumLines = "logs/maximumLines";
inline constexpr const char *showTimes = "logs/showTimes";
inline constexpr const char *fontSize = "logs/fontSize"; // points more (or less) than the system's
} // namespace LogPaneKeys

// The output of one process (or of all of them, prefixed) as a capped, filterable text view that
// follows new lines and stays responsive while a child floods it. A paused pane (scrolled up, or
// Follow off) stays still: new lines wait below a note that counts them. The line cap and the
// arrival-time toggle are kept in QSettings for every pane.
class LogPane : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogPane)

public:
    explicit LogPane(QWidget *parent = nullptr);
    ~LogPane() override;

    // Queues lines for display; prefix is shown before each (the All pane uses e.g. "[0–2] ", a
    // process pane "").
    void appendLines(const QString &prefix, bool isStderr, const QStringList &lines);
    // Shows lines from the engine's history (a pane opened late), before anything appended later.
    // Several calls in a row (the All pane, once per process) are interleaved by time.
    void showHistory(const QString &prefix, const QList<OutputLine> &lines);
    // A line of the manager's own (e.g. "[manager] "): always shown with its time.
    void appendNotice(const QString &prefix, const QString &text);

    void setMaximumLines(int lines); // default 10000
    int maximumLines() const { return m_maxLines; }
    // Asks for the line cap (the pane's context menu); it is kept for every pane.
    void chooseMaximumLines();
    // Arrival times before each line (the toolbar's Time button); kept for new panes.
    void setShowingTimes(bool show);
    bool isShowingTimes() const { return m_showTimes; }
    // The note a paused pane shows ("12 new lines…"); empty while following.
    QString pausedNotice() const;
    // The text size against the system's fixed font (Ctrl+plus, Ctrl+minus, Ctrl+0).
    void setFontSizeStep(int points);
    int fontSizeStep() const { return m_fontStep; }
    // A pane out of sight (another tab, the window in the tray) draws nothing: it keeps the newest
    // lines queued and draws them once shown. These two tell what is drawn.
    int lineCount() const; // lines currently in the document
    QString plainText() const; // the document as plain text
    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);

    // --- Searching, for the window's find bar (logpanesearch.cpp)
    // Draws the lines that wait now, in sight or not, so a search finds what the pane holds. A
    // paused pane keeps them waiting: it stays still.
    void drawQueued();
    // Selects text at a position of plainText() and scrolls to it; the pane stops following
    // unless that is at the bottom. The match stays marked while the view has no focus.
    void showMatch(int position, int length);
    void clearMatchHighlight();
    QTextCursor textCursor() const; // the view's: where the next search starts

    // Empties the pane and its kept lines (not the engine's history).
    void clear();
    // What Ctrl+Shift+F does inside the pane (Ctrl+F is the window's find bar).
    void focusFilter();
    // The file name the Save dialog suggests, e.g. "shards-0-2.log".
    void setSaveFileName(const QString &fileName) { m_saveFileName = fileName; }
    // Writes the kept lines that pass the filter, ANSI stripped, one per line.
    bool saveTo(const QString &fileName, QString *error = nullptr);

signals:
    void droppedLines(int count); // lines dropped because of a flood (also shown in the pane)
    void maximumLinesChosen(int lines); // the user set the cap: the other panes follow
    void fontSizeStepChosen(int points); // the user zoomed: the other panes follow

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct Entry {
        QString prefix;
        QString text;
        qint64 timeMs = 0;
        bool isStderr = false;
        bool isNotice = false;
    };

    void commitHistory();
    void add(const Entry &entry);
    void trimQueue(int lines);
    void countDropped(qint64 lines);
    void scheduleDrain();
    void drain();
    void insertEntry(QTextCursor &cursor, const Entry &entry);
    void trimDocument();
    void startBlock(QTextCursor &cursor);
    bool matches(const Entry &entry) const;
    void rerender();
    void clearDocument();
    void updateFormats();
    void onViewPaletteChanged();
    void scrollToBottom();
    void onScrolled(int value);
    void saveWithDialog();
    void showContextMenu(const QPoint &position);
    void updatePausedNotice();
    QString timeText(const Entry &entry) const;
    void createZoomActions();
    void zoom(int step); // 0: the system's size

    LogToolBar *m_toolBar = nullptr;
    QPlainTextEdit *m_view = nullptr;
    QLabel *m_pausedLabel = nullptr;
    QAction *m_lineLimitAction = nullptr;

    int m_maxLines = 10000;
    std::deque<Entry> m_kept; // the last m_maxLines lines, filter or not, for re-rendering
    std::deque<Entry> m_queue; // passed the filter, not yet in the document
    QList<Entry> m_pendingHistory; // from showHistory, merged by time before the next step
    qint64 m_queueDropped = 0; // dropped from the queue since the last notice
    QTimer m_drainTimer;

    LogFilter m_filter;

    bool m_hasLines = false; // an empty document and one empty line look alike
    bool m_following = true;
    bool m_showTimes = false;
    int m_fontStep = 0;
    bool m_scrolling = false; // our own scroll or insert, not the user's
    bool m_drawingAll = false; // drawQueued(): out of sight, no time budget
    AnsiText m_ansi;
    QTextCharFormat m_plainFormat;
    QTextCharFormat m_stderrFormat;
    QTextCharFormat m_prefixFormat;
    QTextCharFormat m_noticeFormat;
    QString m_saveFileName;
};
