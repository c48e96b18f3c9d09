#include "process/recentlines.h"

#include <algorithm>

RecentLines::RecentLines(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(capacity, 1))
{
}

void RecentLines::append(OutputLine line)
{
    if (m_lines.size() < m_capacity) {
        m_lines.append(std::move(line));
        m_size = m_lines.size();
        return;
    }
    m_lines[m_next] = std::move(line);
    m_next = (m_next + 1) % m_capacity;
}

void RecentLines::clear()
{
    m_lines = QList<OutputLine>();
    m_next = 0;
    m_size = 0;
}

QList<OutputLine> RecentLines::lines() const
{
    // Until full, m_lines is in order; then the oldest is at m_next.
    QList<OutputLine> out;
    out.reserve(m_size);
    for (qsizetype i = 0; i < m_size; ++i)
        out.append(m_lines.at((m_next + i) % m_size));
    return out;
}
