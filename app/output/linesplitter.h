#pragma once

#include <QByteArray>
#include <QByteArrayList>

// Cuts a byte stream into lines on '\n', dropping a trailing '\r', and keeps the unfinished tail.
// The owner decides when a tail counts as a line of its own (idle timeout, end of stream).
class LineSplitter {
public:
    // Appends data and returns every line it completes, without their line ends.
    QByteArrayList feed(const QByteArray &data);

    // Hands out the unfinished tail as a line (empty list when there is none).
    QByteArrayList flush();

    bool hasTail() const { return !m_tail.isEmpty(); }
    qsizetype tailSize() const { return m_tail.size(); }

private:
    static QByteArray withoutCr(QByteArray line);

    QByteArray m_tail;
};
