#pragma once

#include <QString>
#include <QStringView>

// The one escape-sequence scanner (Qt Creator's AnsiEscapeCodeHandler is the model): it walks a
// line once and yields its printable text runs and the parameters of its SGR (colour) sequences.
// Every other sequence (cursor movement, OSC titles, DCS, charset selection such as ESC ( B, the
// 8-bit C1 forms) and every control character but '\t' is skipped. The log file, the echo, the
// filters and the state parser join the runs (strip); the panes render the same runs with the
// SGR attributes, so what is written and what is shown can never disagree.
namespace Ansi {

struct Token {
    enum Kind { Text, Sgr };
    Kind kind = Text;
    qsizetype from = 0; // index into the line
    qsizetype length = 0; // of the text run, or of the SGR parameters ("1;31" of ESC[1;31m)
};

class Scanner {
public:
    explicit Scanner(QStringView line)
        : m_line(line)
    {
    }
    // The next run or SGR sequence in order; false at the end of the line.
    bool next(Token *token);

private:
    QStringView m_line;
    qsizetype m_pos = 0;
};

// Whether line holds anything the scanner would skip (an escape or a control character).
bool contains(QStringView line);
// Every text run joined: the plain text of the line.
QString strip(QStringView line);
// Where the part a terminal (and a pane) shows last begins: after the last '\r' that is followed
// by something visible (a progress bar's final state). 0 without such a '\r'.
qsizetype lastVisibleSegment(QStringView line);
// The text a pane renders of line: the runs of its last visible segment.
QString visibleText(QStringView line);
// Where an escape sequence that the end of line cuts short begins (it may go on in the next
// write), or line.size() when none does. Only sequences up to maxLength characters count.
qsizetype unfinishedSequence(QStringView line, qsizetype maxLength = 256);

} // namespace Ansi
