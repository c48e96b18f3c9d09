// Fuzzes LineSplitter: whatever the bytes and however they are cut into reads, the lines and the
// tail put back together with '\n' (and the '\r' each dropped) give the input again.

#include "fuzzcheck.h"
#include "output/linesplitter.h"

#include <fuzzer/FuzzedDataProvider.h>

namespace {

// Walks the stream along the lines: each must be the next bytes, followed by "\n", or by "\r\n"
// when its '\r' was dropped; a line right before a bare '\n' never ends in '\r' (it would have
// been dropped). Returns where the tail starts.
qsizetype walkLines(const QByteArray &stream, const QByteArrayList &lines)
{
    qsizetype at = 0;
    for (const QByteArray &line : lines) {
        FUZZ_CHECK(!line.contains('\n'));
        FUZZ_CHECK(at + line.size() < stream.size());
        FUZZ_CHECK(QByteArrayView(stream).sliced(at, line.size()) == line);
        at += line.size();
        if (stream.at(at) == '\r') {
            ++at;
            FUZZ_CHECK(at < stream.size());
        } else {
            FUZZ_CHECK(!line.endsWith('\r'));
        }
        FUZZ_CHECK(stream.at(at) == '\n');
        ++at;
    }
    return at;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Read sizes come from the back of the input, the bytes themselves from the front.
    FuzzedDataProvider provider(data, size);
    LineSplitter chunked;
    QByteArray stream;
    QByteArrayList lines;
    chunked.feed(QByteArray()); // an empty read changes nothing
    while (provider.remaining_bytes() > 0) {
        const size_t length = provider.ConsumeIntegralInRange<size_t>(1, 64);
        const std::string chunk = provider.ConsumeBytesAsString(length);
        stream.append(chunk.data(), qsizetype(chunk.size()));
        lines += chunked.feed(QByteArray(chunk.data(), qsizetype(chunk.size())));
        // The carried tail is exactly what follows the last newline so far.
        FUZZ_CHECK(chunked.tailSize() == stream.size() - (stream.lastIndexOf('\n') + 1));
        FUZZ_CHECK(chunked.hasTail() == (chunked.tailSize() > 0));
    }

    const qsizetype tailStart = walkLines(stream, lines);
    const QByteArrayList rest = chunked.flush();
    FUZZ_CHECK(!chunked.hasTail() && chunked.tailSize() == 0 && chunked.flush().isEmpty());
    if (tailStart == stream.size()) {
        FUZZ_CHECK(rest.isEmpty());
    } else {
        QByteArray tail = stream.sliced(tailStart);
        if (tail.endsWith('\r'))
            tail.chop(1);
        FUZZ_CHECK(rest == QByteArrayList {tail});
    }

    // One read of everything gives the same lines as the chunked reads.
    LineSplitter whole;
    FUZZ_CHECK(whole.feed(stream) == lines);
    FUZZ_CHECK(whole.flush() == rest);
    return 0;
}
