#pragma once

#include "output/linesplitter.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>

// Cuts one IPC connection's byte stream into messages (DESIGN §5): lines on '\n', a trailing
// '\r' dropped. A connection that has never sent a newline is seed-style (`write('hello')`): its
// tail is a message after an idle pause. Once it has sent a newline it is line-framed, and its
// tail waits for the newline or the close, however late the rest comes: a message written whole
// is never delivered in two parts.
class IpcFramer {
public:
    explicit IpcFramer(qsizetype maxMessageBytes = 1024 * 1024)
        : m_maxMessageBytes(maxMessageBytes)
    {
    }

    struct Result {
        QByteArrayList messages;
        // A message (or a tail without its newline) over the limit: the size seen, else 0. The
        // messages before it are still in messages; the connection is to be dropped.
        qsizetype oversized = 0;
    };

    Result feed(QByteArrayView data);
    bool isLineFramed() const { return m_lineFramed; }
    bool hasTail() const { return m_splitter.hasTail(); }
    // The tail after an idle pause: a message of a seed-style connection, nothing once line-framed.
    QByteArrayList takeIdleTail();
    // The tail when the connection closes.
    QByteArrayList takeCloseTail() { return m_splitter.flush(); }

private:
    qsizetype m_maxMessageBytes;
    LineSplitter m_splitter;
    bool m_lineFramed = false;
};
