#include "output/linesplitter.h"

QByteArray LineSplitter::withoutCr(QByteArray line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

QByteArrayList LineSplitter::feed(const QByteArray &data)
{
    QByteArrayList lines;
    qsizetype start = 0;
    qsizetype newline = data.indexOf('\n');
    if (newline < 0) {
        m_tail.append(data);
        return lines;
    }
    // The first line completes whatever was carried over.
    m_tail.append(data.constData(), newline);
    lines.append(withoutCr(std::move(m_tail)));
    m_tail = QByteArray();
    start = newline + 1;
    while ((newline = data.indexOf('\n', start)) >= 0) {
        lines.append(withoutCr(data.sliced(start, newline - start)));
        start = newline + 1;
    }
    if (start < data.size())
        m_tail = data.sliced(start);
    return lines;
}

QByteArrayList LineSplitter::flush()
{
    if (m_tail.isEmpty())
        return {};
    QByteArrayList lines {withoutCr(std::move(m_tail))};
    m_tail = QByteArray();
    return lines;
}
