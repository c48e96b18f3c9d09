#include "ansitext.h"

#include "output/ansi.h"

#include <QFont>
#include <QTextCursor>
#include <QVarLengthArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Tuned by eye on white and on near-black bases: "black" and "white" become greys that stay
// visible on either, yellow is darkened on light backgrounds where the terminal one vanishes.
constexpr QRgb kDarkPalette[16] = {
    0x6e6e6e, 0xf14c4c, 0x23d18b, 0xe5e510, 0x3b8eea, 0xd670d6, 0x29b8db, 0xd4d4d4,
    0x8a8a8a, 0xff7070, 0x5af78e, 0xf5f543, 0x6cb6ff, 0xf07cf0, 0x5ee0f5, 0xffffff,
};
constexpr QRgb kLightPalette[16] = {
    0x000000, 0xc62828, 0x107c10, 0x8a6d00, 0x0451a5, 0xa626a4, 0x00838f, 0x616161,
    0x7a7a7a, 0xe53935, 0x2e9d2e, 0xb07d00, 0x1a73e8, 0xc03fc0, 0x0e97a8, 0x3c3c3c,
};

// Walks line once with the engine's scanner: text(from, length) for each printable run,
// sgr(params) for each SGR sequence, in order.
template<typename TextFn, typename SgrFn> void scan(QStringView line, TextFn text, SgrFn sgr)
{
    Ansi::Scanner scanner(line);
    Ansi::Token t;
    while (scanner.next(&t)) {
        if (t.kind == Ansi::Token::Text)
            text(t.from, t.length);
        else
            sgr(line.sliced(t.from, t.length));
    }
}

int number(QStringView digits)
{
    bool ok = false;
    const int value = digits.toInt(&ok);
    return ok ? value : 0; // an empty parameter means 0
}

} // namespace

struct AnsiText::Style {
    // A colour as the line asked for it; resolved against the palette only when formatting.
    struct Color {
        enum Kind : quint8 { Default, Indexed, Rgb } kind = Default;
        QRgb value = 0;
    };

    Color fg;
    Color bg;
    bool bold = false;
    bool dim = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false;
    bool strike = false;
    bool sawColor = false; // any colour was set, even if reset later
};

AnsiText::AnsiText(const QPalette &palette)
{
    setPalette(palette);
}

void AnsiText::setPalette(const QPalette &palette)
{
    m_base = palette.color(QPalette::Base);
    m_text = palette.color(QPalette::Text);
    m_dark = m_base.lightness() < 128;
}

QColor AnsiText::color(int index) const
{
    index = std::clamp(index, 0, 255);
    if (index < 16)
        return QColor::fromRgb(m_dark ? kDarkPalette[index] : kLightPalette[index]);
    if (index < 232) {
        const int cube = index - 16;
        const auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(cube / 36), level(cube / 6 % 6), level(cube % 6));
    }
    const int grey = 8 + (index - 232) * 10;
    return QColor(grey, grey, grey);
}

void AnsiText::insert(QTextCursor &cursor, const QString &line, const QTextCharFormat &base) const
{
    Style style;
    bool dirty = false;
    const auto onSgr = [&](QStringView params) {
        applySgr(style, params);
        dirty = true;
    };

    QStringView rest(line);
    qsizetype offset = 0;
    if (line.contains(u'\r')) {
        // Attributes set before the kept part still apply to it.
        offset = Ansi::lastVisibleSegment(line);
        scan(
            rest.first(offset), [](qsizetype, qsizetype) {}, onSgr);
        rest = rest.sliced(offset);
    }

    QTextCharFormat current = dirty ? format(style, base) : base;
    dirty = false;
    scan(
        rest,
        [&](qsizetype from, qsizetype length) {
        if (dirty) {
            current = format(style, base);
            dirty = false;
        }
        // The common line without escapes is inserted as the shared string, without a copy.
        cursor.insertText(length == line.size() ? line : line.mid(offset + from, length), current);
        },
        onSgr);
}

bool AnsiText::hasColors(const QString &line)
{
    if (!Ansi::contains(line))
        return false;
    Style style;
    scan(
        line, [](qsizetype, qsizetype) {}, [&](QStringView params) { applySgr(style, params); });
    return style.sawColor;
}

void AnsiText::applySgr(Style &style, QStringView params)
{
    QVarLengthArray<QStringView, 16> parts;
    for (QStringView part : params.tokenize(u';'))
        parts.append(part);
    if (parts.isEmpty())
        parts.append(QStringView()); // ESC[m is ESC[0m

    const auto indexed = [](int index) {
        return Style::Color {Style::Color::Indexed, QRgb(std::clamp(index, 0, 255))};
    };
    const auto rgb = [](int r, int g, int b) {
        return Style::Color {
            Style::Color::Rgb,
            qRgb(std::clamp(r, 0, 255), std::clamp(g, 0, 255), std::clamp(b, 0, 255))};
    };
    const auto setColor = [&style](int code, Style::Color color) {
        if (code == 38)
            style.fg = color;
        else if (code == 48)
            style.bg = color;
        else
            return; // 58, the underline colour, is not rendered
        style.sawColor = true;
    };

    for (qsizetype k = 0; k < parts.size(); ++k) {
        const QStringView part = parts[k];
        if (part.contains(u':')) {
            // ITU T.416 form: 38:5:n, 38:2:r:g:b or 38:2:colourspace:r:g:b, 4:x underline styles.
            QVarLengthArray<int, 8> sub;
            for (QStringView s : part.tokenize(u':'))
                sub.append(number(s));
            if (sub.size() >= 3 && sub[1] == 5) {
                setColor(sub[0], indexed(sub[2]));
            } else if (sub.size() >= 5 && sub[1] == 2) {
                const qsizetype e = sub.size();
                setColor(sub[0], rgb(sub[e - 3], sub[e - 2], sub[e - 1]));
            } else if (sub[0] == 4) {
                style.underline = sub.size() < 2 || sub[1] != 0;
            }
            continue;
        }
        const int code = number(part);
        if (code == 38 || code == 48 || code == 58) {
            const int mode = k + 1 < parts.size() ? number(parts[k + 1]) : -1;
            if (mode == 5 && k + 2 < parts.size()) {
                setColor(code, indexed(number(parts[k + 2])));
                k += 2;
            } else if (mode == 2 && k + 4 < parts.size()) {
                setColor(code,
                         rgb(number(parts[k + 2]), number(parts[k + 3]), number(parts[k + 4])));
                k += 4;
            } else {
                break; // malformed: the rest cannot be told apart from its arguments
            }
            continue;
        }
        if (code >= 30 && code <= 37) {
            style.fg = indexed(code - 30);
            style.sawColor = true;
        } else if (code >= 90 && code <= 97) {
            style.fg = indexed(code - 90 + 8);
            style.sawColor = true;
        } else if (code >= 40 && code <= 47) {
            style.bg = indexed(code - 40);
            style.sawColor = true;
        } else if (code >= 100 && code <= 107) {
            style.bg = indexed(code - 100 + 8);
            style.sawColor = true;
        }
        switch (code) {
        case 0: {
            const bool sawColor = style.sawColor;
            style = Style();
            style.sawColor = sawColor;
            break;
        }
        case 1: style.bold = true; break;
        case 2: style.dim = true; break;
        case 3: style.italic = true; break;
        case 4:
        case 21: style.underline = true; break;
        case 7: style.inverse = true; break;
        case 9: style.strike = true; break;
        case 22: style.bold = style.dim = false; break;
        case 23: style.italic = false; break;
        case 24: style.underline = false; break;
        case 27: style.inverse = false; break;
        case 29: style.strike = false; break;
        case 39: style.fg = {}; break;
        case 49: style.bg = {}; break;
        default: break; // blink, fonts, frames...: no rendering, no harm
        }
    }
}

QTextCharFormat AnsiText::format(const Style &style, const QTextCharFormat &base) const
{
    const auto resolve = [this](const Style::Color &c) {
        switch (c.kind) {
        case Style::Color::Indexed: return color(int(c.value));
        case Style::Color::Rgb: return QColor::fromRgb(c.value);
        case Style::Color::Default: break;
        }
        return QColor();
    };

    QTextCharFormat f = base;
    if (style.bold)
        f.setFontWeight(QFont::Bold);
    if (style.italic)
        f.setFontItalic(true);
    if (style.underline)
        f.setFontUnderline(true);
    if (style.strike)
        f.setFontStrikeOut(true);

    QColor fg = resolve(style.fg);
    QColor bg = resolve(style.bg);
    const bool fgSet = fg.isValid() || style.inverse || style.dim;
    if (!fg.isValid())
        fg = base.hasProperty(QTextFormat::ForegroundBrush) ? base.foreground().color() : m_text;
    if (style.inverse) {
        const QColor oldFg = fg;
        fg = bg.isValid() ? bg : m_base;
        bg = oldFg;
    }
    if (style.dim)
        fg.setAlphaF(fg.alphaF() * 0.6f);
    if (fgSet)
        f.setForeground(fg);
    if (bg.isValid())
        f.setBackground(bg);
    return f;
}
