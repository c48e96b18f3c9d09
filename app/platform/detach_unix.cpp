#include "platform/detach.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {
// What the middle process tells us through the pipe: the service's pid, or why it failed.
struct Outcome {
    pid_t pid = -1;
    int error = 0;
    int stage = 0; // 1: output file, 2: exec, 3: fork
};

void report(int fd, const Outcome &outcome)
{
    [[maybe_unused]] const ssize_t n = ::write(fd, &outcome, sizeof outcome);
}
} // namespace

qint64 Detach::spawn(const QString &program, const QStringList &arguments,
                     const QString &workingDirectory, const QString &outputPath, QString *error)
{
    // Everything the children need is made before fork: after it, only system calls.
    const QByteArray file = QFile::encodeName(program);
    const QByteArray directory = QFile::encodeName(workingDirectory);
    const QByteArray output = QFile::encodeName(outputPath);
    std::vector<QByteArray> args {file};
    for (const QString &argument : arguments)
        args.push_back(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    const pid_t middle = ::fork();
    if (middle < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        return -1;
    }
    if (middle == 0) {
        ::close(pipeFds[0]);
        ::setsid();
        const pid_t service = ::fork();
        if (service < 0) {
            report(pipeFds[1], {-1, errno, 3});
            ::_exit(1);
        }
        if (service > 0) {
            report(pipeFds[1], {service, 0, 0});
            ::_exit(0); // the service is init's child from here on
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD})
            ::signal(sig, SIG_DFL);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(output.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in < 0 || out < 0) {
            report(pipeFds[1], {-1, errno, 1});
            ::_exit(1);
        }
#ifdef CLOSE_RANGE_CLOEXEC
        // Nothing of the window's (its display connection, sockets) goes on into the service.
        ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
#endif
        ::dup2(in, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        if (!directory.isEmpty()) [[maybe_unused]]
            const int ignored = ::chdir(directory.constData());
        ::execvp(argv[0], argv.data());
        report(pipeFds[1], {-1, errno, 2});
        ::_exit(127);
    }
    ::close(pipeFds[1]);
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) { }
    // The middle process's report, then the service's if its exec failed (the pipe closes at
    // exec, so a successful start reads end of file there).
    Outcome first, second;
    ssize_t n;
    while ((n = ::read(pipeFds[0], &first, sizeof first)) < 0 && errno == EINTR) { }
    if (n == ssize_t(sizeof first) && first.pid > 0) {
        while ((n = ::read(pipeFds[0], &second, sizeof second)) < 0 && errno == EINTR) { }
        if (n == ssize_t(sizeof second))
            first = second;
    }
    ::close(pipeFds[0]);
    if (first.pid > 0)
        return first.pid;
    const QString reason = QString::fromLocal8Bit(std::strerror(first.error));
    *error = first.stage == 1 ? QStringLiteral("cannot open %1: %2").arg(outputPath, reason)
        : first.stage == 2    ? QStringLiteral("cannot run %1: %2").arg(program, reason)
                              : reason;
    return -1;
}

bool Detach::isAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}
