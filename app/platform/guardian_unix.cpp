#include "platform/guardian.h"

#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <set>
#include <string>
#include <unistd.h>

ProcessGuardian::ProcessGuardian(const GuardianCommand &command, QObject *parent)
    : QObject(parent)
{
    if (command.program.isEmpty() || !QFileInfo(command.program).isExecutable())
        return;
    m_process = new QProcess(this);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Its own session, hence its own process group: whatever kills the manager's group (kill -9
    // -<pgid>, Ctrl+\ or a hangup at the terminal) must leave the guardian to do its job. Only
    // the end of its input, which the manager's death brings, ends it.
    m_process->setChildProcessModifier([] { setsid(); });
    m_process->start(command.program, command.arguments);
    if (!m_process->waitForStarted(5000)) {
        delete m_process;
        m_process = nullptr;
    }
}

ProcessGuardian::~ProcessGuardian()
{
    if (!m_process)
        return;
    // End of input: the guardian kills what is still listed (nothing, after a clean stop) and
    // exits.
    m_process->closeWriteChannel();
    if (!m_process->waitForFinished(3000)) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

bool ProcessGuardian::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

void ProcessGuardian::send(char op, qint64 pgid)
{
    if (!isRunning() || pgid <= 0)
        return;
    const QByteArray line = QByteArray(1, op) + QByteArray::number(pgid) + '\n';
    m_process->write(line);
    // Straight to the pipe: a manager killed a moment later must not take the news with it.
    m_process->waitForBytesWritten(1000);
}

void ProcessGuardian::watch(qint64 pgid)
{
    send('+', pgid);
}

void ProcessGuardian::unwatch(qint64 pgid)
{
    send('-', pgid);
}

int ProcessGuardian::run()
{
    // Only the end of our input ends us: not the terminal's Ctrl+C meant for the manager.
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    std::set<pid_t> groups;
    std::string pending;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        pending.append(buffer, size_t(n));
        size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
            const std::string line = pending.substr(0, newline);
            pending.erase(0, newline + 1);
            if (line.size() < 2)
                continue;
            const pid_t pgid = pid_t(std::strtol(line.c_str() + 1, nullptr, 10));
            if (pgid <= 1)
                continue;
            if (line[0] == '+')
                groups.insert(pgid);
            else if (line[0] == '-')
                groups.erase(pgid);
        }
    }
    for (pid_t pgid : groups)
        ::kill(-pgid, SIGKILL);
    return 0;
}
