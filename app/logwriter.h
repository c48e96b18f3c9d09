#pragma once

#include "osdate.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QObject>
#include <QStringList>
#include <QTimer>

// Appends every child line to the profile's log file in the seed's format (DESIGN §7):
// "<os.date(timestamp)> | Shards <first> to <last> | [stderr | ]<line>", ANSI codes stripped.
// Lines are buffered and flushed every second, when the buffer grows large, and on close.
// A write error is reported (once per failure streak) and the lines are kept for the next try.
class LogWriter : public QObject
{
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
    bool flush();

    qint64 pendingBytes() const { return m_buffer.size(); }
    qint64 droppedLines() const { return m_droppedLines; }

signals:
    void writeFailed(const QString &message);
    void writeRecovered();

private:
    QFile m_file;
    OsDate m_date;
    QByteArray m_buffer;
    QTimer m_flushTimer;
    bool m_failing = false;
    qint64 m_droppedLines = 0;
};
