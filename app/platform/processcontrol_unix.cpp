#include "platform/processcontrol.h"

#include <QCoreApplication>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ProcessControl)
};

} // namespace

void ProcessControl::prepare(QProcess *process)
{
    const pid_t manager = getpid();
    // Runs in the child between fork and exec: only async-signal-safe calls here.
    process->setChildProcessModifier([manager] {
        setpgid(0, 0);
#ifdef Q_OS_LINUX
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The manager may have died between fork and prctl; then nobody would ever kill us.
        if (getppid() != manager)
            _exit(127);
#else
        (void)manager;
#endif
        // Children must not inherit a blocked or ignored signal from the manager (it ignores
        // SIGPIPE, SIGUSR2 and, for its log file, SIGXFSZ; an ignored signal stays ignored
        // across exec).
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR2, SIGXFSZ})
            signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
    });
}

static void signalGroup(qint64 pid, int sig)
{
    if (pid <= 0)
        return;
    // Before exec the child may not have called setpgid yet: then signal it alone.
    if (::kill(-pid_t(pid), sig) != 0 && errno == ESRCH)
        ::kill(pid_t(pid), sig);
}

void ProcessControl::terminateGroup(qint64 pid)
{
    signalGroup(pid, SIGTERM);
}

void ProcessControl::killGroup(qint64 pid)
{
    signalGroup(pid, SIGKILL);
}

void ProcessControl::killLeftovers(qint64 pgid)
{
    if (pgid > 0)
        ::kill(-pid_t(pgid), SIGKILL);
}

bool ProcessControl::groupAlive(qint64 pid)
{
    return pid > 0 && (::kill(-pid_t(pid), 0) == 0 || errno == EPERM);
}

bool ProcessControl::isPermanentStartFailure(const QString &error)
{
    // QProcess names the call that failed in the child before the OS's reason; a failed fork
    // reads "Resource error (fork failure): ...".
    static const QStringList childCalls {u"execve: "_s, u"execv: "_s, u"chdir: "_s, u"fchdir: "_s};
    const auto call = std::find_if(childCalls.begin(), childCalls.end(),
                                   [&error](const QString &c) { return error.startsWith(c); });
    if (call == childCalls.end())
        return false;
    // Short of memory, of processes or of descriptors, or the program being rewritten (an
    // upgrade): worth the backoff.
    for (int transient : {ENOMEM, EAGAIN, ENFILE, EMFILE, ETXTBSY}) {
        if (error.mid(call->size()) == QString::fromLocal8Bit(std::strerror(transient)))
            return false;
    }
    return true;
}

QString ProcessControl::signalName(int signal)
{
    if (const char *abbrev = sigabbrev_np(signal))
        return u"SIG"_s + QString::fromLatin1(abbrev);
    return Text::tr("signal %1").arg(signal);
}
