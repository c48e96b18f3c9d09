// Fuzzes OutputChannel, the output path in bytes: fuzzed bytes (with the token spliced in where
// the input says) are fed in writes cut where the input says, and the lines that come out must be
// exactly what the line-by-line path gave (split on '\n', a trailing '\r' dropped, decoded as
// UTF-8, redacted). A batch's count is its number of lines, and a batch said to be plain holds
// printable ASCII only.
//
// Input: the first byte seeds the cuts (write lengths 1..64 from a simple generator); the rest is
// the stream, in which the byte 0xfe stands for the token.

#include "fuzzcheck.h"
#include "output/outputchannel.h"
#include "output/redactor.h"

using namespace Qt::StringLiterals;

namespace {
const QString kToken = u"MTAxNjQ4NTIy.GhJkLm.Qx-9_vB2wZ7yTr4pLs8"_s;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const Redactor redactor = [] {
        Redactor r;
        r.setSecrets({kToken});
        return r;
    }();
    QByteArray stream;
    for (size_t i = 1; i < size; ++i) {
        if (data[i] == 0xfe)
            stream += kToken.toUtf8();
        else
            stream += char(data[i]);
    }

    QStringList expected;
    qsizetype from = 0;
    for (qsizetype nl = stream.indexOf('\n'); nl >= 0; nl = stream.indexOf('\n', from)) {
        QByteArray line = stream.sliced(from, nl - from);
        if (line.endsWith('\r'))
            line.chop(1);
        expected.append(redactor.redact(QString::fromUtf8(line)));
        from = nl + 1;
    }

    OutputChannel channel(&redactor);
    QStringList got;
    unsigned state = data[0] | 1u;
    for (qsizetype at = 0; at < stream.size();) {
        state = state * 1103515245u + 12345u;
        const qsizetype length = std::min<qsizetype>(1 + (state >> 16) % 64, stream.size() - at);
        const OutputBatch batch = channel.feed(stream.sliced(at, length));
        at += length;
        const QStringList lines = batch.toStringList();
        FUZZ_CHECK(lines.size() == batch.count);
        FUZZ_CHECK(batch.text.count('\n') == batch.count);
        if (batch.plain)
            FUZZ_CHECK(OutputText::isPlain(QByteArray(batch.text).replace('\n', ' ')));
        got += lines;
    }
    FUZZ_CHECK(got == expected);
    return 0;
}
