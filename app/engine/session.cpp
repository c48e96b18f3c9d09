#include "engine/session.h"

#include "engine/shardplan.h"
#include "ipc/ipcserver.h"
#include "output/consoleecho.h"
#include "output/logwriter.h"
#include "profile/profile.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

Session::Session(IpcServer *ipc, QObject *parent)
    : QObject(parent)
    , m_ipc(ipc)
{
}

Session::~Session() = default;

bool Session::open(const Profile &profile, const QString &token, bool echo, QString *error)
{
    if (m_open)
        return true;
    // IPC first: if the port is taken, children would talk to someone else's server.
    m_ipc->setAcceptAny(profile.ipcAccept == Profile::IpcAccept::Any);
    m_ipc->setSecrets({token});
    if (!m_ipc->listen(profile.host, quint16(profile.port), error))
        return false;
    if (!openLog(profile, error)) {
        m_ipc->close();
        return false;
    }
    m_echo = (echo && !profile.silent) ? std::make_unique<ConsoleEcho>() : nullptr;
    if (!m_guardian && !m_guardianCommand.program.isEmpty()) {
        m_guardian = new ProcessGuardian(m_guardianCommand, this);
        if (!m_guardian->isRunning())
            emit notice(tr("no guardian process (%1 not found): helpers that bots fork may outlive "
                           "a manager that is killed")
                            .arg(m_guardianCommand.program));
    }
    m_open = true;
    return true;
}

bool Session::openLog(const Profile &profile, QString *error)
{
    if (profile.logFile.isEmpty())
        return true;
    auto log = std::make_unique<LogWriter>(profile.resolvedLogFile(), profile.timestamp);
    // How much may wait while the disk refuses writes (README: SHARD_MANAGER_LOG_BACKLOG).
    if (const auto backlog = parseByteSize(qEnvironmentVariable("SHARD_MANAGER_LOG_BACKLOG")))
        log->setMaxBacklog(std::max<qint64>(*backlog, 4096));
    if (!log->open(error))
        return false;
    // Each problem once, as logFileError: the window and the plain headless mode show those.
    const QString path = log->path();
    connect(log.get(), &LogWriter::writeFailed, this, &Session::logFileError);
    connect(log.get(), &LogWriter::backlogFull, this, &Session::logFileError);
    connect(log.get(), &LogWriter::writeRecovered, this,
            [this, path](qint64 dropped, const QString &reason) {
        if (dropped > 0)
            emit logFileError(tr("log file %1 writable again; %2")
                                  .arg(path, LogWriter::droppedText(dropped, reason)));
        else
            emit notice(tr("log file writable again: %1").arg(path));
    });
    connect(log.get(), &LogWriter::linesLost, this,
            [this, path](qint64 lines, const QString &reason) {
        emit logFileError(tr("log file %1: %2").arg(path, LogWriter::droppedText(lines, reason)));
    });
    m_log = std::move(log);
    return true;
}

void Session::close()
{
    m_open = false;
    m_ipc->close();
    if (m_log)
        m_log->close();
    m_log.reset();
    m_echo.reset();
}

void Session::write(const ShardRange &range, bool isStderr, const OutputBatch &batch)
{
    if (m_log)
        m_log->appendBatch(range.first, range.last, isStderr, batch, batch.timeMs);
    if (m_echo)
        m_echo->write(range.first, range.last, isStderr, batch);
}

qint64 Session::logLinesWritten() const
{
    return m_log ? m_log->writtenLines() : 0;
}

QHash<int, LineLedger::Counts> Session::logLinesByFirstShard() const
{
    return m_log ? m_log->linesByFirstShard() : QHash<int, LineLedger::Counts>();
}

qint64 Session::logLinesDropped() const
{
    return m_log ? m_log->droppedLines() : 0;
}

bool Session::logFileFailing() const
{
    return m_log && m_log->hasError();
}

void Session::watch(int process, qint64 pid)
{
    if (!m_guardian)
        return;
    m_guardian->watch(pid);
    m_guarded.insert(process, pid);
}

void Session::unwatch(int process)
{
    if (m_guardian && m_guarded.contains(process))
        m_guardian->unwatch(m_guarded.take(process));
}
