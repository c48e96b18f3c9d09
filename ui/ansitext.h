#pragma once

#include <QColor>
#include <QPalette>
#include <QString>
#include <QTextCharFormat>

class QTextCursor;

// Renders a line holding ANSI SGR colour sequences into a QTextCursor as formatted runs, with a
// 16-colour palette chosen to stay readable on the view's background. Every other escape sequence
// (cursor movement, OSC titles, ...) and stray control character is dropped, never shown.
class AnsiText {
public:
    explicit AnsiText(const QPalette &palette = QPalette()); // QPalette(): the application's

    // Picks the light or dark colour set from the lightness of QPalette::Base.
    void setPalette(const QPalette &palette);
    bool isDarkBackground() const { return m_dark; }

    // 0..15 from the palette, 16..255 from the xterm colour cube and grey ramp.
    QColor color(int index) const;
    // Subdued text (prefixes, notices) and error text, in the same light/dark set.
    QColor mutedColor() const { return color(8); }
    QColor errorColor() const { return color(1); }

    // Inserts line at the cursor: SGR attributes are applied on top of base, and reset to it.
    // The line must not hold '\n'; a '\r' keeps what a terminal would show last.
    void insert(QTextCursor &cursor, const QString &line, const QTextCharFormat &base) const;

    // Whether any SGR sequence in line sets a foreground or background colour.
    static bool hasColors(const QString &line);

private:
    struct Style;
    static void applySgr(Style &style, QStringView params);
    QTextCharFormat format(const Style &style, const QTextCharFormat &base) const;

    bool m_dark = false;
    QColor m_text;
    QColor m_base;
};
