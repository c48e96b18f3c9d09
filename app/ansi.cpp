#include "ansi.h"

bool Ansi::contains(const QString &text)
{
    return text.contains(QChar(0x1b));
}

QString Ansi::strip(const QString &text)
{
    if (!contains(text))
        return text;
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c != QChar(0x1b)) {
            out.append(c);
            continue;
        }
        if (i + 1 >= n)
            break;
        const QChar kind = text.at(i + 1);
        if (kind == u'[') {
            // CSI: parameters and intermediates, then one final byte in @..~.
            qsizetype j = i + 2;
            while (j < n && !(text.at(j).unicode() >= 0x40 && text.at(j).unicode() <= 0x7e))
                ++j;
            i = j;
        } else if (kind == u']') {
            // OSC: ends with BEL or ESC backslash.
            qsizetype j = i + 2;
            while (j < n && text.at(j) != QChar(0x07)
                   && !(text.at(j) == QChar(0x1b) && j + 1 < n && text.at(j + 1) == u'\\'))
                ++j;
            i = (j < n && text.at(j) == QChar(0x1b)) ? j + 1 : j;
        } else {
            ++i; // a two-character escape such as ESC c
        }
    }
    return out;
}
