#pragma once

#include <QList>
#include <QString>

// One line a child printed, as kept for panes opened later.
struct OutputLine {
    qint64 timeMs = 0; // milliseconds since the epoch, when the manager read it
    bool isStderr = false;
    QString text;
};

// A fixed-capacity ring of the most recent lines of one process. It grows as lines come, so a
// process that has printed nothing (100,000 of them waiting to start) costs nothing here.
class RecentLines {
public:
    explicit RecentLines(qsizetype capacity = 2000);

    void append(OutputLine line);
    void clear();
    // Oldest first.
    QList<OutputLine> lines() const;
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_capacity; }

private:
    QList<OutputLine> m_lines;
    qsizetype m_capacity;
    qsizetype m_next = 0;
    qsizetype m_size = 0;
};
