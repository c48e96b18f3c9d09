#include "recentlines.h"

#include <algorithm>

RecentLines::RecentLines(qsizetype capacity)
    : m_lines(std::max<qsizetype>(capacity, 1))
{
}

void RecentLines::append(OutputLine line)
{
    m_lines[m_next] = std::move(line);
    m_next = (m_next + 1) % m_lines.size();
    m_size = std::min(m_size + 1, m_lines.size());
}

void RecentLines::clear()
{
    std::fill(m_lines.begin(), m_lines.end(), OutputLine());
    m_next = 0;
    m_size = 0;
}

QList<OutputLine> RecentLines::lines() const
{
    QList<OutputLine> out;
    out.reserve(m_size);
    const qsizetype start = (m_next - m_size + m_lines.size()) % m_lines.size();
    for (qsizetype i = 0; i < m_size; ++i)
        out.append(m_lines.at((start + i) % m_lines.size()));
    return out;
}
