#include "output/outputchannel.h"

#include "output/redactor.h"

#include <cstring>

namespace {
bool containsAny(QByteArrayView text, const QList<QByteArray> &needles)
{
    for (const QByteArray &needle : needles) {
        if (OutputText::contains(text, needle))
            return true;
    }
    return false;
}
} // namespace

void OutputChannel::appendText(OutputBatch &batch, const QString &line) const
{
    const QByteArray bytes = line.toUtf8();
    batch.plain = batch.plain && OutputText::isPlain(bytes);
    batch.text += bytes;
    batch.text += '\n';
    ++batch.count;
}

OutputBatch OutputChannel::feed(QByteArray data)
{
    OutputBatch batch;
    const qsizetype lastNewline = data.lastIndexOf('\n');
    if (lastNewline < 0) {
        m_tail += data;
        return batch;
    }
    if (!m_tail.isEmpty()) {
        m_tail += data;
        data = std::move(m_tail);
    }
    m_tail = data.sliced(data.lastIndexOf('\n') + 1);
    data.truncate(data.size() - m_tail.size()); // no copy: the read's buffer is ours alone

    // A secret never spans lines: one search of the whole read says whether any line needs one.
    const QList<QByteArray> &secrets = m_redactor->secretBytes();
    const bool secretsHere = containsAny(data, secrets);
    // Until a line must change, the read's own buffer is the batch; from then on lines are
    // copied into a new one.
    bool copying = secretsHere || !m_held.isEmpty();
    QByteArray out;
    if (copying)
        out.reserve(data.size());
    const char *begin = data.constData();
    const char *end = begin + data.size();
    const char *p = begin;
    while (p < end) {
        const char *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const bool cr = newline > p && newline[-1] == '\r';
        const QByteArrayView line(p, newline - p - (cr ? 1 : 0));
        const bool plain = m_held.isEmpty() && OutputText::isPlain(line);
        ++batch.count;
        if (plain && !copying && !cr) {
            p = newline + 1;
            continue;
        }
        if (!copying) {
            out.reserve(data.size());
            out.append(begin, p - begin);
            copying = true;
        }
        if (plain && !(secretsHere && containsAny(line, secrets))) {
            out.append(line.data(), line.size());
            out.append('\n');
        } else {
            // Escapes, controls, other characters or a secret: the redactor decides on the text
            // every sink finally shows.
            QString text = QString::fromUtf8(line);
            if (!m_held.isEmpty()) {
                text.prepend(m_held);
                m_held.clear();
            }
            const QByteArray bytes = m_redactor->redact(std::move(text)).toUtf8();
            batch.plain = batch.plain && OutputText::isPlain(bytes);
            out.append(bytes);
            out.append('\n');
        }
        p = newline + 1;
    }
    batch.text = copying ? std::move(out) : std::move(data);
    return batch;
}

QString OutputChannel::takeTail()
{
    QString tail = m_held;
    m_held.clear();
    if (m_tail.endsWith('\r'))
        m_tail.chop(1);
    tail += QString::fromUtf8(m_tail);
    m_tail = QByteArray();
    return tail;
}

OutputBatch OutputChannel::takePartial()
{
    OutputBatch batch;
    if (m_tail.isEmpty())
        return batch;
    QString tail = takeTail();
    const qsizetype hold = m_redactor->holdFrom(tail);
    if (hold == 0 && !tail.isEmpty()) {
        m_held = std::move(tail);
        return batch;
    }
    if (hold < tail.size()) {
        m_held = tail.sliced(hold);
        tail.truncate(hold);
    }
    appendText(batch, m_redactor->redact(std::move(tail)));
    return batch;
}

OutputBatch OutputChannel::takeAll()
{
    OutputBatch batch;
    if (m_tail.isEmpty() && m_held.isEmpty())
        return batch;
    appendText(batch, m_redactor->redact(takeTail()));
    return batch;
}
