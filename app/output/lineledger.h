#pragma once

#include <QByteArray>
#include <QHash>

#include <deque>

// Whose lines a log writer's buffer holds, in order: spans of lines by key (the process's first
// shard), so the lines the file took and the lines it dropped can be counted per process for the
// metrics. The write path only moves an offset; lines are counted when a scrape asks, or when
// lines are dropped (a failing disk), never per write.
class LineLedger {
public:
    struct Counts {
        qint64 written = 0;
        qint64 dropped = 0;
    };

    // `lines` whole lines of `key` were appended; the buffer is now `bufferSize` bytes long.
    void appended(int key, qint64 lines, qsizetype bufferSize);
    // `bytes` left the front of the buffer for the file.
    void wrote(qsizetype bytes);
    // The buffer's bytes [from, to), whole lines, are about to be removed unwritten; `buffer` is
    // the buffer before the removal.
    void dropping(const QByteArray &buffer, qsizetype from, qsizetype to);
    // Everything the buffer holds is lost (closed while the file refuses writes).
    void droppingAll(const QByteArray &buffer);

    // The newlines in bytes [from, to).
    static qint64 countLines(const QByteArray &bytes, qsizetype from, qsizetype to);

    // Per key: lines the file holds whole, and lines dropped. `buffer` is the writer's buffer now
    // (the front span may be in the file in part).
    QHash<int, Counts> counts(const QByteArray &buffer) const;

private:
    struct Span {
        int key;
        qint64 lines;
        qsizetype end; // where it ends in the buffer, plus m_written
    };
    std::deque<Span> m_spans;
    qsizetype m_written = 0; // bytes that left the front since the spans were last emptied
    QHash<int, Counts> m_counts;
};
