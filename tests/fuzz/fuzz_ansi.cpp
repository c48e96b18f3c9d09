// Fuzzes the escape-sequence scanner (Ansi): whatever a child prints, the plain text (log file)
// and the rendered text (panes) hold no escape and no control character but '\t', the text runs
// lie inside the line in order without overlapping, and holding back an unfinished sequence
// changes nothing once the rest arrives.

#include "fuzzcheck.h"
#include "output/ansi.h"

namespace {

bool isControl(QChar c)
{
    const char16_t u = c.unicode();
    return (u < 0x20 && u != u'\t') || (u >= 0x80 && u < 0xa0);
}

void checkClean(const QString &text)
{
    for (QChar c : text)
        FUZZ_CHECK(!isControl(c));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QString line = fuzzText(QByteArrayView(data + 1, qsizetype(size - 1)), data[0]);

    // The runs: in order, inside the line, not overlapping; text runs hold no control, SGR
    // parameters only digits, ';' and ':'.
    QString joined;
    qsizetype end = 0;
    Ansi::Scanner scanner(line);
    Ansi::Token t;
    while (scanner.next(&t)) {
        FUZZ_CHECK(t.from >= end && t.length >= 0 && t.from + t.length <= line.size());
        const QStringView run = QStringView(line).sliced(t.from, t.length);
        if (t.kind == Ansi::Token::Text) {
            FUZZ_CHECK(t.length > 0);
            checkClean(run.toString());
            joined += run;
        } else {
            for (QChar c : run)
                FUZZ_CHECK(c.isDigit() || c == u';' || c == u':');
        }
        end = t.from + t.length;
    }

    const QString plain = Ansi::strip(line);
    FUZZ_CHECK(plain == joined);
    checkClean(plain);
    FUZZ_CHECK(Ansi::contains(line) == (plain.size() != line.size()));
    FUZZ_CHECK(Ansi::strip(plain) == plain);

    const qsizetype segment = Ansi::lastVisibleSegment(line);
    FUZZ_CHECK(segment >= 0 && segment <= line.size());
    FUZZ_CHECK(segment == 0 || line.at(segment - 1) == u'\r');
    const QString visible = Ansi::visibleText(line);
    checkClean(visible);
    FUZZ_CHECK(visible == Ansi::strip(QStringView(line).sliced(segment)));
    FUZZ_CHECK(Ansi::visibleText(visible) == visible);

    // A partial line goes out without its unfinished sequence, which leads the next line: the
    // two parts give the plain text of the whole. (Within the look-back, the scan is the same.)
    const qsizetype unfinished = Ansi::unfinishedSequence(line);
    FUZZ_CHECK(unfinished >= 0 && unfinished <= line.size());
    if (unfinished < line.size()) {
        const char16_t c = line.at(unfinished).unicode();
        FUZZ_CHECK(c == 0x1b || (c >= 0x80 && c < 0xa0));
        if (line.size() <= 256)
            FUZZ_CHECK(Ansi::strip(QStringView(line).first(unfinished))
                           + Ansi::strip(QStringView(line).sliced(unfinished))
                       == plain);
    }
    return 0;
}
