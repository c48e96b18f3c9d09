#include "engine/sessionoutput.h"

#include "engine/shardplan.h"
#include "output/consoleecho.h"
#include "output/logwriter.h"
#include "profile/profile.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

SessionOutput::SessionOutput(QObject *parent)
    : QObject(parent)
{
}

SessionOutput::~SessionOutput() = default;

bool SessionOutput::open(const Profile &profile, bool echo, QString *error)
{
    std::unique_ptr<LogWriter> log;
    if (!profile.logFile.isEmpty()) {
        log = std::make_unique<LogWriter>(profile.resolvedLogFile(), profile.timestamp);
        // How much may wait while the disk refuses writes (README: SHARD_MANAGER_LOG_BACKLOG).
        if (const auto backlog = parseByteSize(qEnvironmentVariable("SHARD_MANAGER_LOG_BACKLOG")))
            log->setMaxBacklog(std::max<qint64>(*backlog, 4096));
        if (!log->open(error))
            return false;
        // Each problem once, as logFileError: the window and the plain headless mode show those.
        const QString path = log->path();
        connect(log.get(), &LogWriter::writeFailed, this, &SessionOutput::logFileError);
        connect(log.get(), &LogWriter::backlogFull, this, &SessionOutput::logFileError);
        connect(log.get(), &LogWriter::writeRecovered, this,
                [this, path](qint64 dropped, const QString &reason) {
                    if (dropped > 0)
                        emit logFileError(u"log file %1 writable again; %2"_s
                                              .arg(path, LogWriter::droppedText(dropped, reason)));
                    else
                        emit notice(u"log file writable again: "_s + path);
                });
        connect(log.get(), &LogWriter::linesLost, this,
                [this, path](qint64 lines, const QString &reason) {
                    emit logFileError(
                        u"log file %1: %2"_s.arg(path, LogWriter::droppedText(lines, reason)));
                });
    }
    m_log = std::move(log);
    m_echo = (echo && !profile.silent) ? std::make_unique<ConsoleEcho>() : nullptr;
    return true;
}

void SessionOutput::close()
{
    if (m_log)
        m_log->close();
    m_log.reset();
    m_echo.reset();
}

void SessionOutput::write(const ShardRange &range, bool isStderr, const QStringList &lines)
{
    if (m_log)
        m_log->appendLines(range.first, range.last, isStderr, lines, QDateTime::currentDateTime());
    if (m_echo)
        m_echo->write(range.first, range.last, isStderr, lines);
}

bool SessionOutput::logFileFailing() const
{
    return m_log && m_log->hasError();
}
