#include "output/lineledger.h"

#include <algorithm>

qint64 LineLedger::countLines(const QByteArray &bytes, qsizetype from, qsizetype to)
{
    return std::count(bytes.constBegin() + from, bytes.constBegin() + to, '\n');
}

void LineLedger::appended(int key, qint64 lines, qsizetype bufferSize)
{
    if (lines <= 0)
        return;
    if (!m_spans.empty() && m_spans.back().key == key) {
        m_spans.back().lines += lines;
        m_spans.back().end = bufferSize + m_written;
        return;
    }
    m_spans.push_back({key, lines, bufferSize + m_written});
}

void LineLedger::wrote(qsizetype bytes)
{
    m_written += bytes;
    while (!m_spans.empty() && m_spans.front().end <= m_written) {
        m_counts[m_spans.front().key].written += m_spans.front().lines;
        m_spans.pop_front();
    }
    if (m_spans.empty())
        m_written = 0;
}

void LineLedger::dropping(const QByteArray &buffer, qsizetype from, qsizetype to)
{
    qsizetype start = 0;
    for (Span &span : m_spans) {
        const qsizetype end = span.end - m_written;
        const qsizetype a = std::max(from, start);
        const qsizetype b = std::min(to, end);
        if (a < b) {
            const qint64 lines = countLines(buffer, a, b);
            span.lines -= lines;
            m_counts[span.key].dropped += lines;
        }
        start = end;
        if (end > from)
            span.end -= std::min(end, to) - from;
    }
    std::erase_if(m_spans, [](const Span &span) { return span.lines <= 0; });
}

void LineLedger::droppingAll(const QByteArray &buffer)
{
    qsizetype start = 0;
    for (const Span &span : m_spans) {
        const qsizetype end = std::min(span.end - m_written, buffer.size());
        m_counts[span.key].dropped += countLines(buffer, std::max<qsizetype>(start, 0), end);
        start = end;
    }
    m_spans.clear();
    m_written = 0;
}

QHash<int, LineLedger::Counts> LineLedger::counts(const QByteArray &buffer) const
{
    QHash<int, Counts> counts = m_counts;
    if (!m_spans.empty()) {
        // The front span may be in the file in part: its lines not in the buffer are written.
        const Span &front = m_spans.front();
        const qsizetype end = std::min(front.end - m_written, buffer.size());
        counts[front.key].written += front.lines - countLines(buffer, 0, end);
    }
    return counts;
}
