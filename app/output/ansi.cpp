#include "output/ansi.h"

#include <algorithm>

namespace {

constexpr char16_t kEsc = 0x1b;
constexpr char16_t kBel = 0x07;
constexpr char16_t kCsi8 = 0x9b; // the one-character (8-bit) form of ESC [
constexpr char16_t kSt8 = 0x9c; // of ESC \ (string terminator)

// Characters with no glyph, and those a QTextDocument would turn into block or frame breaks.
bool isSpecial(char16_t c)
{
    return (c < 0x20 && c != u'\t') || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029
        || c == 0xfdd0 || c == 0xfdd1;
}

// OSC, DCS, SOS, PM, APC after ESC: strings that end with BEL or ST.
bool isStringIntroducer(char16_t c)
{
    return c == u']' || c == u'P' || c == u'X' || c == u'^' || c == u'_';
}

// The same five in their 8-bit forms.
bool isStringIntroducer8(char16_t c)
{
    return c == 0x9d || c == 0x90 || c == 0x98 || c == 0x9e || c == 0x9f;
}

bool isFinalByte(char16_t c)
{
    return c >= 0x40 && c <= 0x7e;
}

// What one special character at i starts: where the sequence ends (one past it), whether that
// end was actually found in the line, and for SGR the parameters.
struct Sequence {
    qsizetype end = 0;
    bool complete = true;
    bool sgr = false;
    qsizetype paramsFrom = 0;
    qsizetype paramsLength = 0;
};

Sequence sequenceAt(QStringView line, qsizetype i)
{
    const qsizetype n = line.size();
    const char16_t c = line[i].unicode();
    const char16_t kind = (c == kEsc && i + 1 < n) ? line[i + 1].unicode() : char16_t(0);
    Sequence s;
    if (c == kCsi8 || kind == u'[') {
        const qsizetype from = c == kCsi8 ? i + 1 : i + 2;
        qsizetype j = from;
        while (j < n && !isFinalByte(line[j].unicode()))
            ++j;
        s.complete = j < n;
        s.end = std::min(j + 1, n);
        const QStringView params = line.sliced(from, j - from);
        // Private forms such as ESC[>4;2m are not SGR.
        const bool plain = std::all_of(params.begin(), params.end(), [](QChar p) {
            return p.isDigit() || p == u';' || p == u':';
        });
        if (s.complete && line[j] == u'm' && plain) {
            s.sgr = true;
            s.paramsFrom = from;
            s.paramsLength = j - from;
        }
    } else if (isStringIntroducer8(c) || (kind != 0 && isStringIntroducer(kind))) {
        s.complete = false;
        s.end = n;
        for (qsizetype j = isStringIntroducer8(c) ? i + 1 : i + 2; j < n; ++j) {
            const char16_t b = line[j].unicode();
            if (b == kBel || b == kSt8 || (b == kEsc && j + 1 < n && line[j + 1] == u'\\')) {
                s.complete = true;
                s.end = b == kEsc ? j + 2 : j + 1;
                break;
            }
        }
    } else if (c == kEsc) {
        // ESC, intermediates in 0x20..0x2f, one final character (ESC c, ESC ( B, ESC 7).
        qsizetype j = i + 1;
        while (j < n && line[j].unicode() >= 0x20 && line[j].unicode() <= 0x2f)
            ++j;
        s.complete = j < n;
        s.end = std::min(j + 1, n);
    } else {
        s.end = i + 1; // a lone control character
    }
    return s;
}

} // namespace

bool Ansi::Scanner::next(Token *token)
{
    const qsizetype n = m_line.size();
    while (m_pos < n) {
        qsizetype i = m_pos;
        while (i < n && !isSpecial(m_line[i].unicode()))
            ++i;
        if (i > m_pos) {
            *token = {Token::Text, m_pos, i - m_pos};
            m_pos = i;
            return true;
        }
        const Sequence s = sequenceAt(m_line, i);
        m_pos = s.end;
        if (s.sgr) {
            *token = {Token::Sgr, s.paramsFrom, s.paramsLength};
            return true;
        }
    }
    return false;
}

bool Ansi::contains(QStringView line)
{
    return std::any_of(line.begin(), line.end(), [](QChar c) { return isSpecial(c.unicode()); });
}

QString Ansi::strip(QStringView line)
{
    if (!contains(line))
        return line.toString();
    QString out;
    out.reserve(line.size());
    Scanner scanner(line);
    Token t;
    while (scanner.next(&t)) {
        if (t.kind == Token::Text)
            out.append(line.sliced(t.from, t.length));
    }
    return out;
}

qsizetype Ansi::lastVisibleSegment(QStringView line)
{
    qsizetype end = line.size();
    while (end > 0) {
        const qsizetype cr = line.lastIndexOf(u'\r', end - 1);
        if (cr < 0)
            return 0;
        Scanner scanner(line.sliced(cr + 1, end - cr - 1));
        Token t;
        while (scanner.next(&t)) {
            if (t.kind == Token::Text)
                return cr + 1;
        }
        end = cr;
    }
    return 0;
}

QString Ansi::visibleText(QStringView line)
{
    if (!contains(line))
        return line.toString();
    return strip(line.sliced(lastVisibleSegment(line)));
}

qsizetype Ansi::unfinishedSequence(QStringView line, qsizetype maxLength)
{
    const qsizetype n = line.size();
    // Only the end of the line can hold one: look back as far as a sequence may reach.
    for (qsizetype i = std::max<qsizetype>(0, n - maxLength); i < n; ++i) {
        const char16_t c = line[i].unicode();
        if (c != kEsc && c != kCsi8 && !isStringIntroducer8(c))
            continue;
        const Sequence s = sequenceAt(line, i);
        if (!s.complete)
            return i;
        i = s.end - 1;
    }
    return n;
}
