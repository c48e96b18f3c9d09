#pragma once

// One table of escape-sequence cases for the engine's scanner (tst_ansi: what the log file gets)
// and the pane's rendering (tst_logpane: what a pane shows), so the two can never disagree.

#include <QList>
#include <QString>

struct AnsiCase {
    const char *name;
    QString line;
    QString plain; // Ansi::strip: every text run joined
    QString visible; // what a pane renders: the runs after the last '\r' with something visible
};

inline QList<AnsiCase> ansiCases()
{
    using namespace Qt::StringLiterals;
    return {
        {"no escapes", u"plain text"_s, u"plain text"_s, u"plain text"_s},
        {"SGR colours", u"\x1b[1;31mA\x1b[0mB\x1b[mC"_s, u"ABC"_s, u"ABC"_s},
        {"SGR colon forms", u"\x1b[38:2::10:20:30mA\x1b[48:5:3mB\x1b[4:3mC"_s, u"ABC"_s, u"ABC"_s},
        {"private SGR", u"a\x1b[>4;2mb"_s, u"ab"_s, u"ab"_s},
        {"cursor and erase", u"\x1b[2K\x1b[1Ghe\x1b[?25lllo\x1b[3A"_s, u"hello"_s, u"hello"_s},
        {"ESC ( B, as tput sgr0 prints", u"\x1b(Bbold\x1b[m\x1b(B end"_s, u"bold end"_s,
         u"bold end"_s},
        {"charset and ESC 7",
         u"\x1b(Bplain\x1b"
         "7"_s,
         u"plain"_s, u"plain"_s},
        {"OSC title, BEL", u"\x1b]0;title\x07text"_s, u"text"_s, u"text"_s},
        {"OSC link, ST", u"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"_s, u"link"_s, u"link"_s},
        {"DCS", u"a\x1bPq#0;2;0;0;0\x1b\\b"_s, u"ab"_s, u"ab"_s},
        {"APC and PM",
         u"a\x1b_app\x1b\\b\x1b^pm\x07"
         "c"_s,
         u"abc"_s, u"abc"_s},
        {"8-bit CSI", u"\u009b31mred\u009b0m!"_s, u"red!"_s, u"red!"_s},
        {"8-bit DCS", u"a\u0090junk\u009cb"_s, u"ab"_s, u"ab"_s},
        {"8-bit OSC", u"a\u009d0;title\u0007b"_s, u"ab"_s, u"ab"_s},
        {"CSI cut off at the end", u"text\x1b[31"_s, u"text"_s, u"text"_s},
        {"OSC cut off at the end", u"text\x1b]0;tit"_s, u"text"_s, u"text"_s},
        {"lone ESC at the end", u"text\x1b"_s, u"text"_s, u"text"_s},
        {"controls",
         u"a\tb\x01"
         "c\bd\x7f"_s,
         u"a\tbcd"_s, u"a\tbcd"_s},
        {"separators", u"x\u2028y\u2029z"_s, u"xyz"_s, u"xyz"_s},
        {"carriage returns", u"10%\r20%\r30%"_s, u"10%20%30%"_s, u"30%"_s},
        {"CR then nothing visible", u"\x1b[32m10%\r20%\r\x1b[K"_s, u"10%20%"_s, u"20%"_s},
        {"trailing CR", u"abc\r"_s, u"abc"_s, u"abc"_s},
    };
}
