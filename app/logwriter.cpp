#include "logwriter.h"

#include "ansi.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {
// Flush early past this much, so a flood costs a write per chunk, not memory.
constexpr qsizetype kFlushThreshold = 256 * 1024;
// While the disk refuses writes, keep at most this much; then drop the oldest and say so.
constexpr qsizetype kMaxPending = 64 * 1024 * 1024;
} // namespace

LogWriter::LogWriter(const QString &path, const QString &timestampFormat, QObject *parent)
    : QObject(parent)
    , m_file(path)
    , m_date(timestampFormat)
{
    m_flushTimer.setInterval(1000);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogWriter::flush);
}

LogWriter::~LogWriter()
{
    close();
}

bool LogWriter::open(QString *error)
{
    QDir().mkpath(QFileInfo(m_file.fileName()).absolutePath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error)
            *error = u"cannot open log file %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    m_flushTimer.start();
    return true;
}

void LogWriter::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    m_flushTimer.stop();
    m_file.close();
}

void LogWriter::append(int first, int last, bool isStderr, const QString &line,
                       const QDateTime &time)
{
    appendLines(first, last, isStderr, {line}, time);
}

void LogWriter::appendLines(int first, int last, bool isStderr, const QStringList &lines,
                            const QDateTime &time)
{
    // A flood comes in reads of thousands of lines, and per line the local timestamp alone cost
    // a mktime() (in QDateTime::toSecsSinceEpoch): the head is made once per read.
    const QByteArray head = (m_date.formatCached(time) % u" | Shards "_s % QString::number(first)
                             % u" to "_s % QString::number(last)
                             % (isStderr ? u" | stderr | "_s : u" | "_s)).toUtf8();
    for (const QString &line : lines) {
        m_buffer += head;
        m_buffer += Ansi::strip(line).toUtf8();
        m_buffer += '\n';
        if (m_buffer.size() >= kFlushThreshold)
            flush();
    }
}

bool LogWriter::flush()
{
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return true;
    const qint64 written = m_file.write(m_buffer);
    if (written > 0)
        m_buffer.remove(0, written);
    if (m_buffer.isEmpty()) {
        if (m_failing) {
            m_failing = false;
            emit writeRecovered();
        }
        return true;
    }
    if (!m_failing) {
        m_failing = true;
        emit writeFailed(u"cannot write log file %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    }
    if (m_buffer.size() > kMaxPending) {
        // Drop whole lines from the front so what remains still parses line by line.
        const qsizetype cut = m_buffer.indexOf('\n', m_buffer.size() - kMaxPending);
        const QByteArray dropped = m_buffer.left(cut + 1);
        m_droppedLines += dropped.count('\n');
        m_buffer.remove(0, cut + 1);
    }
    return false;
}
