// Fuzzes the Redactor with a token placed in fuzzed bytes, cut into pieces with fuzzed bytes
// (escape sequences, controls, carriage returns...) between them. Whatever surrounds it:
//  - no sink shows the token after redact(): not the line itself (events), not its plain text
//    (log file, echo), not its rendered text (panes);
//  - holdFrom() gives an index in [0, size], and a partial line cut there never splits a token
//    that its plain text shows (each half alone would not be the token, and neither would be
//    redacted).
//
// Input: one byte picks the decoding (fuzzText) and which secret goes in; the rest is split on
// the byte 0xff (never in UTF-8): parts p0, p1, ..., pk. With k >= 1 the line is
// p0 + piece1 + p1 + piece2 + ... + piecek + pk, the secret cut into k even pieces.

#include "fuzzcheck.h"
#include "output/ansi.h"
#include "output/redactor.h"

using namespace Qt::StringLiterals;

namespace {

// Shaped like Discord tokens. The second starts and ends with the same characters: a partial
// line that ends with it also ends with its first characters.
const QString kSecrets[]
    = {u"MTAxNjQ4NTIy.GhJkLm.Qx-9_vB2wZ7yTr4pLs8"_s, u"Nz.kYd3-Wq_8pHf0LcZx1aVbNz"_s};

bool shows(const QString &line, const QString &secret)
{
    return line.contains(secret) || Ansi::strip(line).contains(secret)
        || Ansi::visibleText(line).contains(secret);
}

QString buildLine(QByteArrayView bytes, unsigned mode, const QString &secret)
{
    QList<QByteArrayView> parts;
    qsizetype from = 0;
    for (qsizetype i = 0; i <= bytes.size(); ++i) {
        if (i == bytes.size() || bytes[i] == char(0xff)) {
            parts.append(bytes.sliced(from, i - from));
            from = i + 1;
        }
    }
    QString line = fuzzText(parts.first(), mode);
    const qsizetype pieces = parts.size() - 1;
    for (qsizetype j = 1; j <= pieces; ++j) {
        const qsizetype a = secret.size() * (j - 1) / pieces, b = secret.size() * j / pieces;
        line += QStringView(secret).sliced(a, b - a);
        line += fuzzText(parts.at(j), mode);
    }
    return line;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static Redactor redactor = [] {
        Redactor r;
        r.setSecrets({kSecrets[0], QString(), kSecrets[1]});
        return r;
    }();
    const unsigned mode = data[0];
    const QString &secret = kSecrets[(mode / 3) % 2];
    const QString line = buildLine(QByteArrayView(data + 1, qsizetype(size - 1)), mode, secret);

    const QString redacted = redactor.redact(line);
    for (const QString &s : kSecrets)
        FUZZ_CHECK(!shows(redacted, s));

    const qsizetype hold = redactor.holdFrom(line);
    FUZZ_CHECK(hold >= 0 && hold <= line.size());
    // The plain text splits where the line does (hold is a scan boundary); no shown token may
    // straddle that point. Short lines only: holdFrom looks back a bounded distance.
    const QString plain = Ansi::strip(line);
    const qsizetype cut = Ansi::strip(QStringView(line).first(hold)).size();
    if (line.size() <= 256) {
        FUZZ_CHECK(cut + Ansi::strip(QStringView(line).sliced(hold)).size() == plain.size());
        for (const QString &s : kSecrets) {
            for (qsizetype at = plain.indexOf(s); at >= 0; at = plain.indexOf(s, at + 1))
                FUZZ_CHECK(!(at < cut && cut < at + s.size()));
        }
    }
    return 0;
}
