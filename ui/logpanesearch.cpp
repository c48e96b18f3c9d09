// The log pane's part in the window's search across panes (FindBar): drawing what waits, and
// showing a match. The drawing itself is in logpane.cpp.

#include "logpane.h"

#include <QPlainTextEdit>
#include <QTextCursor>

#include <utility>

void LogPane::drawQueued()
{
    m_drawingAll = true;
    drain();
    m_drawingAll = false;
}

void LogPane::showMatch(int position, int length)
{
    QTextCursor cursor(m_view->document());
    cursor.setPosition(position);
    cursor.setPosition(position + length, QTextCursor::KeepAnchor);
    m_view->setTextCursor(cursor);
    // Scrolling there is the reader's move: onScrolled() pauses the pane unless it is at the
    // bottom, so new lines do not carry the match away.
    m_view->centerCursor();
    // The view's own selection turns grey once the focus leaves it (it stays in the find field).
    QTextEdit::ExtraSelection match;
    match.cursor = std::move(cursor);
    match.format.setBackground(palette().brush(QPalette::Active, QPalette::Highlight));
    match.format.setForeground(palette().brush(QPalette::Active, QPalette::HighlightedText));
    m_view->setExtraSelections({match});
}

void LogPane::clearMatchHighlight()
{
    m_view->setExtraSelections({});
}

QTextCursor LogPane::textCursor() const
{
    return m_view->textCursor();
}
