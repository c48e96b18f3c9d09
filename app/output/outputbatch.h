#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMetaType>
#include <QStringList>

#include <cstring>

// The lines of one read of one channel of a child, as the manager passes them on: UTF-8, each
// ended by '\n' (without the child's '\r'), already redacted. A flood is read in batches of
// hundreds of lines, and most sinks (the log file, the echo, the control socket) want bytes: the
// batch stays one buffer until something needs text (a pane, the state parser's few lines).
struct OutputBatch {
    QByteArray text; // every line followed by '\n'; valid UTF-8
    qsizetype count = 0;
    // Every line is printable ASCII (0x20-0x7e): nothing for a sink to strip, decode or escape
    // but '"' and '\\'. Lines with escapes, controls or other characters make it false.
    bool plain = true;
    qint64 timeMs = 0; // when the manager read it (ms since the epoch)

    bool isEmpty() const { return count == 0; }

    // Calls f(QByteArrayView line) for each line, without its '\n'.
    template<typename F> void forEachLine(F &&f) const
    {
        const char *p = text.constData();
        const char *end = p + text.size();
        while (p < end) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            f(QByteArrayView(p, nl - p));
            p = nl + 1;
        }
    }

    // One line of it as text (plain lines are Latin-1, which is cheaper to decode than UTF-8).
    QString decode(QByteArrayView line) const
    {
        return plain ? QString::fromLatin1(line) : QString::fromUtf8(line);
    }
    QStringList toStringList() const;
    // Lines that already are text (from a remote service, or a test) as a batch.
    static OutputBatch fromLines(const QStringList &lines, qint64 timeMs = 0);
};

Q_DECLARE_METATYPE(OutputBatch)

namespace OutputText {
// Whether bytes are all printable ASCII (0x20-0x7e): such a line means the same as bytes, as
// Latin-1 and as UTF-8, holds no escape or control character and decodes to itself.
bool isPlain(QByteArrayView bytes);
// Whether needle occurs in text: memchr for its first byte, several times faster on a read of
// thousands of lines than QByteArrayView::contains in Qt 6.4 (a rolling hash, byte by byte).
bool contains(QByteArrayView text, QByteArrayView needle);
} // namespace OutputText
