#include "output/outputchannel.h"

#include "output/redactor.h"

QStringList OutputChannel::feed(const QByteArray &data)
{
    const QByteArrayList lines = m_splitter.feed(data);
    QStringList out;
    out.reserve(lines.size());
    for (const QByteArray &bytes : lines) {
        QString line = QString::fromUtf8(bytes);
        if (!m_held.isEmpty()) {
            line.prepend(m_held);
            m_held.clear();
        }
        out.append(m_redactor->redact(std::move(line)));
    }
    return out;
}

QString OutputChannel::takeTail()
{
    QString tail = m_held;
    m_held.clear();
    const QByteArrayList bytes = m_splitter.flush();
    if (!bytes.isEmpty())
        tail += QString::fromUtf8(bytes.first());
    return tail;
}

QStringList OutputChannel::takePartial()
{
    if (!m_splitter.hasTail())
        return {};
    QString tail = takeTail();
    const qsizetype hold = m_redactor->holdFrom(tail);
    if (hold == 0 && !tail.isEmpty()) {
        m_held = std::move(tail);
        return {};
    }
    if (hold < tail.size()) {
        m_held = tail.sliced(hold);
        tail.truncate(hold);
    }
    return {m_redactor->redact(std::move(tail))};
}

QStringList OutputChannel::takeAll()
{
    if (!m_splitter.hasTail() && m_held.isEmpty())
        return {};
    return {m_redactor->redact(takeTail())};
}
