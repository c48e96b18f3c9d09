#pragma once

#include "output/lineledger.h"
#include "output/osdate.h"
#include "output/outputbatch.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QObject>
#include <QStringList>
#include <QTimer>

// Appends every child line to the profile's log file in the seed's format (DESIGN §7):
// "<os.date(timestamp)> | Shards <first> to <last> | [stderr | ]<line>", ANSI codes stripped.
// Lines are buffered and flushed every second, when the buffer grows large, and on close.
// While the file refuses writes, the lines wait in a bounded backlog; beyond it the oldest are
// dropped and counted, and once the file takes writes again a line in it says how many are
// missing and why. A line is never merged with another: one the file took in part is completed
// before anything else is written.
class LogWriter : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogWriter)

public:
    LogWriter(const QString &path, const QString &timestampFormat, QObject *parent = nullptr);
    ~LogWriter() override;

    bool open(QString *error);
    void close();
    bool isOpen() const { return m_file.isOpen(); }
    QString path() const { return m_file.fileName(); }
    bool hasError() const { return m_failing; }

    void append(int first, int last, bool isStderr, const QString &line,
                const QDateTime &time = QDateTime::currentDateTime());
    // Lines read together: what comes before the text is formatted once for all of them.
    void appendLines(int first, int last, bool isStderr, const QStringList &lines,
                     const QDateTime &time = QDateTime::currentDateTime());
    // A read's lines as bytes (the flood's path): nothing decoded unless a line has escapes.
    void appendBatch(int first, int last, bool isStderr, const OutputBatch &batch,
                     qint64 msecsSinceEpoch);
    bool flush();

    qint64 pendingBytes() const { return m_buffer.size() + m_marker.size(); }
    qint64 droppedLines() const { return m_droppedLines; } // since open, in all
    // Lines the file holds whole, since open (the metrics' counter).
    qint64 writtenLines() const;
    // The same, and the lines dropped, per process (by its first shard).
    QHash<int, LineLedger::Counts> linesByFirstShard() const;
    // The most the backlog holds while the file refuses writes (64 MiB).
    void setMaxBacklog(qint64 bytes) { m_maxBacklog = bytes; }
    qint64 maxBacklog() const { return m_maxBacklog; }

    // "995859 lines could not be written: No space left on device"
    static QString droppedText(qint64 lines, const QString &reason);

signals:
    // The file refused a write (once per failure streak).
    void writeFailed(const QString &message);
    // The backlog is full and the oldest lines are being dropped (once per failure streak).
    void backlogFull(const QString &message);
    // The file takes writes again; the lines dropped during the streak, and why.
    void writeRecovered(qint64 droppedLines, const QString &reason);
    // Lines still waiting when the file was closed, now lost.
    void linesLost(qint64 lines, const QString &reason);

private:
    QByteArray head(int first, int last, bool isStderr, qint64 msecsSinceEpoch);
    void afterAppend();
    bool writeOut(QByteArray *bytes, qsizetype length);
    bool refused();
    void dropOldest();

    QFile m_file;
    OsDate m_date;
    QByteArray m_buffer; // lines not yet written; the first may be partly in the file already
    QByteArray m_marker; // the rest of a "lines could not be written" line, written before m_buffer
    LineLedger m_ledger; // whose lines m_buffer holds
    QTimer m_flushTimer;
    qint64 m_maxBacklog;
    bool m_failing = false;
    bool m_dropping = false;
    bool m_midLine = false; // the file ends inside the first line of m_buffer
    int m_error = 0; // the OS error of the last refused write
    int m_dropError = 0; // the one that made lines be dropped
    qint64 m_unmarked = 0; // dropped, and no line in the file says so yet
    qint64 m_streakDropped = 0; // dropped since the file last took everything
    qint64 m_droppedLines = 0;
    qint64 m_appendedLines = 0;
    bool m_endedPrevious = false; // open() began with a newline ending the last run's line
};
