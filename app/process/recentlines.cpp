#include "process/recentlines.h"

#include <algorithm>

RecentLines::RecentLines(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(capacity, 1))
{
}

void RecentLines::append(OutputLine line)
{
    append(line.timeMs, line.isStderr, QStringList {std::move(line.text)});
}

void RecentLines::append(const OutputBatch &batch, bool isStderr)
{
    if (batch.count > 0)
        push({batch, {}, isStderr, batch.timeMs, batch.count, 0});
}

void RecentLines::append(qint64 timeMs, bool isStderr, const QStringList &lines)
{
    if (!lines.isEmpty())
        push({{}, lines, isStderr, timeMs, lines.size(), 0});
}

void RecentLines::push(Chunk chunk)
{
    m_size += chunk.count;
    m_chunks.append(std::move(chunk));
    // Drop from the front: whole chunks, then the first lines of the oldest one left.
    while (m_size > m_capacity) {
        Chunk &oldest = m_chunks.first();
        const qsizetype excess = m_size - m_capacity;
        const qsizetype left = oldest.count - oldest.skip;
        if (excess >= left) {
            m_size -= left;
            m_chunks.removeFirst();
        } else {
            oldest.skip += excess;
            m_size -= excess;
        }
    }
}

void RecentLines::clear()
{
    m_chunks = QList<Chunk>();
    m_size = 0;
}

QList<OutputLine> RecentLines::lines() const
{
    QList<OutputLine> out;
    out.reserve(m_size);
    for (const Chunk &chunk : m_chunks) {
        if (!chunk.texts.isEmpty()) {
            for (qsizetype i = chunk.skip; i < chunk.count; ++i)
                out.append({chunk.timeMs, chunk.isStderr, chunk.texts.at(i)});
            continue;
        }
        qsizetype i = 0;
        chunk.batch.forEachLine([&](QByteArrayView line) {
            if (i++ >= chunk.skip)
                out.append({chunk.timeMs, chunk.isStderr, chunk.batch.decode(line)});
        });
    }
    return out;
}
