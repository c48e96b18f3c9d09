#pragma once

#include "output/outputbatch.h"

#include <QList>
#include <QString>
#include <QStringList>

// One line a child printed, as kept for panes opened later.
struct OutputLine {
    qint64 timeMs = 0; // milliseconds since the epoch, when the manager read it
    bool isStderr = false;
    QString text;
};

// The most recent lines of one process, up to a capacity. Lines are kept as they came, a read at
// a time (a batch of bytes, or a list of texts from a remote service), and decoded only when
// asked for: a flood costs no allocation per line here. It grows as lines come, so a process that
// has printed nothing (100,000 of them waiting to start) costs nothing.
class RecentLines {
public:
    explicit RecentLines(qsizetype capacity = 2000);

    void append(OutputLine line);
    void append(const OutputBatch &batch, bool isStderr);
    void append(qint64 timeMs, bool isStderr, const QStringList &lines);
    void clear();
    // Oldest first.
    QList<OutputLine> lines() const;
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_capacity; }

private:
    struct Chunk {
        OutputBatch batch; // the lines as bytes, or
        QStringList texts; // as text
        bool isStderr = false;
        qint64 timeMs = 0;
        qsizetype count = 0;
        qsizetype skip = 0; // leading lines already dropped
    };
    void push(Chunk chunk);

    QList<Chunk> m_chunks;
    qsizetype m_capacity;
    qsizetype m_size = 0;
};
