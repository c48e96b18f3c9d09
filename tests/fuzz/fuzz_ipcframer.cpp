// Fuzzes IpcFramer, the cutting of one IPC connection's bytes into messages: no message is over
// the limit; a line-framed connection's idle pauses deliver nothing; and however the bytes are
// cut into reads, the messages (and where the limit is hit) are those of one read of everything.
//
// Input: from its back the limit (1..64 bytes, or the real 1 MiB), then per read a length and
// whether an idle pause follows; from its front the bytes themselves.

#include "fuzzcheck.h"
#include "ipc/ipcframer.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

namespace {

// Messages until the limit is hit (the connection is dropped then), and whether it was.
struct Outcome {
    QByteArrayList messages;
    bool oversized = false;
    bool operator==(const Outcome &) const = default;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider provider(data, size);
    const qsizetype limit
        = provider.ConsumeBool() ? 1024 * 1024 : provider.ConsumeIntegralInRange<qsizetype>(1, 64);
    struct Read {
        std::string bytes;
        bool idle = false;
    };
    std::vector<Read> reads;
    QByteArray stream;
    while (provider.remaining_bytes() > 0) {
        const size_t length = provider.ConsumeIntegralInRange<size_t>(1, 48);
        const bool idle = provider.ConsumeBool();
        reads.push_back({provider.ConsumeBytesAsString(length), idle});
        stream.append(reads.back().bytes.data(), qsizetype(reads.back().bytes.size()));
    }

    IpcFramer chunked(limit);
    Outcome a;
    qsizetype fed = 0;
    bool idleDelivered = false; // a seed-style tail went out at an idle pause
    for (const Read &read : reads) {
        const QByteArrayView chunk(read.bytes.data(), qsizetype(read.bytes.size()));
        fed += chunk.size();
        const IpcFramer::Result r = chunked.feed(chunk);
        a.messages += r.messages;
        a.oversized = r.oversized > 0;
        FUZZ_CHECK(r.oversized == 0 || r.oversized > limit);
        if (a.oversized)
            break; // the connection is dropped
        FUZZ_CHECK(chunked.isLineFramed() == stream.first(fed).contains('\n'));
        if (read.idle) {
            const bool framed = chunked.isLineFramed();
            const bool hadTail = chunked.hasTail();
            const QByteArrayList tail = chunked.takeIdleTail();
            if (framed)
                FUZZ_CHECK(tail.isEmpty() && chunked.hasTail() == hadTail);
            idleDelivered = idleDelivered || !tail.isEmpty();
            a.messages += tail;
        }
    }
    if (!a.oversized)
        a.messages += chunked.takeCloseTail();
    for (const QByteArray &m : std::as_const(a.messages))
        FUZZ_CHECK(m.size() <= limit && !m.contains('\n'));

    // One read of everything; a seed-style idle delivery is the one thing that may differ.
    IpcFramer whole(limit);
    const IpcFramer::Result r = whole.feed(stream);
    Outcome b {r.messages, r.oversized > 0};
    if (!b.oversized)
        b.messages += whole.takeCloseTail();
    if (!idleDelivered)
        FUZZ_CHECK(a == b);
    return 0;
}
