#include "output/outputbatch.h"

#include <cstdint>
#include <cstring>

bool OutputText::isPlain(QByteArrayView bytes)
{
    // Eight bytes at a time: a byte is not plain when its top bit is set, when it is below 0x20
    // (the classic "has a byte less than n" test) or when it is 0x7f (a zero byte after xor).
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const char *p = bytes.data();
    const char *end = p + bytes.size();
    for (; end - p >= 8; p += 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        const std::uint64_t below = (w - ones * 0x20) & ~w;
        const std::uint64_t del = w ^ (ones * 0x7f);
        const std::uint64_t isDel = (del - ones) & ~del;
        if ((w | below | isDel) & highs)
            return false;
    }
    for (; p < end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c < 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

bool OutputText::contains(QByteArrayView text, QByteArrayView needle)
{
    if (needle.isEmpty())
        return true;
    if (needle.size() > text.size())
        return false;
    // The first byte by memchr (vectorised), the rest compared where it matches.
    const char first = needle.front();
    const char *p = text.data();
    const char *last = p + (text.size() - needle.size()); // the last place a match may begin
    while (p <= last) {
        p = static_cast<const char *>(std::memchr(p, first, size_t(last - p + 1)));
        if (!p)
            return false;
        if (std::memcmp(p, needle.data(), size_t(needle.size())) == 0)
            return true;
        ++p;
    }
    return false;
}

QStringList OutputBatch::toStringList() const
{
    QStringList lines;
    lines.reserve(count);
    forEachLine([&](QByteArrayView line) { lines.append(decode(line)); });
    return lines;
}

OutputBatch OutputBatch::fromLines(const QStringList &lines, qint64 timeMs)
{
    OutputBatch batch;
    batch.timeMs = timeMs;
    for (const QString &line : lines) {
        const QByteArray bytes = line.toUtf8();
        batch.plain = batch.plain && OutputText::isPlain(bytes);
        batch.text += bytes;
        batch.text += '\n';
    }
    batch.count = lines.size();
    return batch;
}
