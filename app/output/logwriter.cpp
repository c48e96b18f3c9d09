#include "output/logwriter.h"

#include "diagnostics.h"

#include "output/ansi.h"
#include "output/lineprefix.h"
#include "platform/filewrite.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// Flush early past this much, so a flood costs a write per chunk, not memory.
constexpr qsizetype kFlushThreshold = 256 * 1024;
// While the disk refuses writes, keep at most this much; then drop the oldest and count them.
constexpr qint64 kMaxBacklog = 64 * 1024 * 1024;
// The ledger's key for the newline that ends the last run's unfinished line.
constexpr int kNotAProcess = -1;

// The log file's own "[shard-manager]" line about dropped lines: the file's format, which
// scripts read, so never translated.
QString droppedMarker(qint64 lines, const QString &reason)
{
    return (lines == 1 ? u"1 line could not be written: "_s
                       : u"%1 lines could not be written: "_s.arg(lines))
        + reason;
}
} // namespace

LogWriter::LogWriter(const QString &path, const QString &timestampFormat, QObject *parent)
    : QObject(parent)
    , m_file(path)
    , m_date(timestampFormat)
    , m_maxBacklog(kMaxBacklog)
{
    m_flushTimer.setInterval(1000);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogWriter::flush);
}

LogWriter::~LogWriter()
{
    close();
}

QString LogWriter::droppedText(qint64 lines, const QString &reason)
{
    // For people: translated (tr() counts in an int; the file's own line, droppedMarker, says the
    // exact number).
    return tr("%n line(s) could not be written: %1", nullptr,
              int(std::min<qint64>(lines, std::numeric_limits<int>::max())))
        .arg(reason);
}

bool LogWriter::open(QString *error)
{
    FileWrite::surviveFileSizeLimit();
    QDir().mkpath(QFileInfo(m_file.fileName()).absolutePath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        qCDebug(lcOutput) << "cannot open log file" << m_file.fileName() << m_file.errorString();
        if (error)
            *error = tr("cannot open log file %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    // A run that ended inside a line (killed mid-write, or the disk took only part of it) left it
    // unfinished: end it first, so the first line of this run is not merged with it.
    QFile previous(m_file.fileName());
    const QFileInfo info(m_file.fileName());
    if (info.isFile() && info.size() > 0 && previous.open(QIODevice::ReadOnly)
        && previous.seek(info.size() - 1)) {
        char last = '\n';
        if (previous.getChar(&last) && last != '\n') {
            m_buffer = "\n";
            m_midLine = true;
            m_endedPrevious = true;
            ++m_appendedLines;
            m_ledger.appended(kNotAProcess, 1, m_buffer.size());
        }
    }
    qCDebug(lcOutput) << "log file" << m_file.fileName() << "open, appending after" << m_file.size()
                      << (m_midLine ? "bytes, ending an unfinished line first" : "bytes");
    m_flushTimer.start();
    return true;
}

void LogWriter::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    m_flushTimer.stop();
    if (m_failing) {
        // Nothing more will try: what still waits is lost, and said so.
        const qint64 waiting = LineLedger::countLines(m_buffer, 0, m_buffer.size());
        m_droppedLines += waiting;
        m_ledger.droppingAll(m_buffer);
        const qint64 lost = m_streakDropped + waiting;
        m_buffer.clear();
        m_marker.clear();
        m_unmarked = m_streakDropped = 0;
        m_failing = m_dropping = m_midLine = false;
        if (lost > 0)
            emit linesLost(lost, FileWrite::errorText(m_error));
    }
    m_file.close();
}

void LogWriter::append(int first, int last, bool isStderr, const QString &line,
                       const QDateTime &time)
{
    appendLines(first, last, isStderr, {line}, time);
}

QByteArray LogWriter::head(int first, int last, bool isStderr, qint64 msecsSinceEpoch)
{
    // A flood comes in reads of thousands of lines, and per line the local timestamp alone cost
    // a mktime() (in QDateTime::toSecsSinceEpoch): the head is made once per read.
    return (m_date.formatCachedMs(msecsSinceEpoch) % u" | "_s
            % LinePrefix::of(first, last, isStderr))
        .toUtf8();
}

void LogWriter::afterAppend()
{
    if (m_buffer.size() >= kFlushThreshold || m_buffer.size() > m_maxBacklog) {
        // While the file refuses, only the timer tries again: not a failing write per line.
        if (!m_failing)
            flush();
        else if (pendingBytes() > m_maxBacklog)
            dropOldest();
    }
}

void LogWriter::appendLines(int first, int last, bool isStderr, const QStringList &lines,
                            const QDateTime &time)
{
    const QByteArray prefix = head(first, last, isStderr, time.toMSecsSinceEpoch());
    m_appendedLines += lines.size();
    for (const QString &line : lines) {
        m_buffer += prefix;
        m_buffer += Ansi::strip(line).toUtf8();
        m_buffer += '\n';
        m_ledger.appended(first, 1, m_buffer.size());
        afterAppend();
    }
}

void LogWriter::appendBatch(int first, int last, bool isStderr, const OutputBatch &batch,
                            qint64 msecsSinceEpoch)
{
    if (batch.isEmpty())
        return;
    const QByteArray prefix = head(first, last, isStderr, msecsSinceEpoch);
    m_appendedLines += batch.count;
    // One allocation for the read: each line is its head and its bytes, '\n' included.
    m_buffer.reserve(m_buffer.size() + batch.count * prefix.size() + batch.text.size());
    const char *p = batch.text.constData();
    const char *end = p + batch.text.size();
    while (p < end) {
        const char *next = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))) + 1;
        m_buffer.append(prefix);
        const QByteArrayView line(p, next - p);
        if (batch.plain || OutputText::isPlain(line.chopped(1)))
            m_buffer.append(line);
        else
            m_buffer += Ansi::strip(QString::fromUtf8(line.chopped(1))).toUtf8() + '\n';
        p = next;
    }
    m_ledger.appended(first, batch.count, m_buffer.size());
    afterAppend();
}

QHash<int, LineLedger::Counts> LogWriter::linesByFirstShard() const
{
    QHash<int, LineLedger::Counts> counts = m_ledger.counts(m_buffer);
    counts.remove(kNotAProcess);
    return counts;
}

qint64 LogWriter::writtenLines() const
{
    // What waits (a line the file holds in part counts as waiting) and what was dropped are not
    // in the file.
    // The newline that ends a line the last run left unfinished counts as one line appended, not
    // as one of ours.
    const qint64 written = m_appendedLines - m_droppedLines
        - LineLedger::countLines(m_buffer, 0, m_buffer.size()) - (m_endedPrevious ? 1 : 0);
    return std::max<qint64>(written, 0);
}

bool LogWriter::flush()
{
    if (!m_file.isOpen())
        return true;
    for (;;) {
        if (!m_marker.isEmpty()) {
            if (!writeOut(&m_marker, m_marker.size()))
                return refused();
        } else if (m_unmarked > 0 && !m_midLine) {
            // Where the dropped lines were: after what the file holds, before what waits.
            m_marker = (m_date.formatCached(QDateTime::currentDateTime()) % u" | [shard-manager] "_s
                        % droppedMarker(m_unmarked, FileWrite::errorText(m_dropError)) % u'\n')
                           .toUtf8();
            m_unmarked = 0;
        } else if (!m_buffer.isEmpty()) {
            // Lines were dropped after a line the file holds in part: only its rest goes first.
            const qsizetype lineEnd = m_unmarked > 0 ? m_buffer.indexOf('\n') + 1 : 0;
            if (!writeOut(&m_buffer, lineEnd > 0 ? lineEnd : m_buffer.size()))
                return refused();
        } else {
            break;
        }
    }
    if (m_failing) {
        qCDebug(lcOutput) << "log file" << m_file.fileName() << "takes writes again,"
                          << m_streakDropped << "lines were dropped meanwhile";
        m_failing = false;
        m_dropping = false;
        const qint64 dropped = std::exchange(m_streakDropped, 0);
        emit writeRecovered(dropped, dropped > 0 ? FileWrite::errorText(m_dropError) : QString());
    }
    return true;
}

bool LogWriter::writeOut(QByteArray *bytes, qsizetype length)
{
    const FileWrite::Result result = FileWrite::write(m_file.handle(), bytes->constData(), length);
    if (result.written > 0) {
        if (bytes == &m_buffer) {
            m_midLine = m_buffer.at(result.written - 1) != '\n';
            m_ledger.wrote(result.written);
        }
        bytes->remove(0, result.written); // from the front: Qt moves the start, copies nothing
    }
    m_error = result.error;
    return result.error == 0;
}

bool LogWriter::refused()
{
    if (!m_failing) {
        m_failing = true;
        qCDebug(lcOutput) << "log file" << m_file.fileName()
                          << "refuses writes:" << FileWrite::errorText(m_error) << pendingBytes()
                          << "bytes wait";
        emit writeFailed(tr("cannot write log file %1: %2")
                             .arg(m_file.fileName(), FileWrite::errorText(m_error)));
    }
    if (pendingBytes() > m_maxBacklog)
        dropOldest();
    return false;
}

void LogWriter::dropOldest()
{
    // Never the rest of a line the file holds in part: that would leave it merged with the next.
    const qsizetype start = m_midLine ? m_buffer.indexOf('\n') + 1 : 0;
    if (m_midLine && start == 0)
        return;
    // Down to three quarters of the limit, so dropping costs a copy of the backlog now and then,
    // not one per line.
    const qint64 target = m_maxBacklog - m_maxBacklog / 4 - m_marker.size();
    const qsizetype excess = qsizetype(std::max<qint64>(m_buffer.size() - target, 1));
    qsizetype end
        = start + excess - 1 < m_buffer.size() ? m_buffer.indexOf('\n', start + excess - 1) : -1;
    end = end < 0 ? m_buffer.size() : end + 1;
    if (end <= start)
        return;
    const qint64 lines = LineLedger::countLines(m_buffer, start, end);
    m_ledger.dropping(m_buffer, start, end);
    m_buffer.remove(start, end - start);
    m_unmarked += lines;
    m_streakDropped += lines;
    m_droppedLines += lines;
    m_dropError = m_error;
    if (!m_dropping) {
        m_dropping = true;
        emit backlogFull(tr("log file %1: %2 of lines wait to be written, the most kept while it "
                            "refuses writes (%3): dropping the oldest, and counting them")
                             .arg(m_file.fileName(),
                                  QLocale::c().formattedDataSize(m_maxBacklog, 0),
                                  FileWrite::errorText(m_error)));
    }
}
