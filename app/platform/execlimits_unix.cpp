#include "platform/execlimits.h"

#include <algorithm>
#include <unistd.h>

ExecLimits::Limits ExecLimits::current()
{
    Limits limits;
    limits.total = sysconf(_SC_ARG_MAX);
#ifdef Q_OS_LINUX
    // glibc derives ARG_MAX from the stack limit alone (a quarter of it), but Linux never allows
    // more than three quarters of its 8 MiB default stack, whatever the limit; and one string
    // may not reach 32 pages (MAX_ARG_STRLEN).
    if (limits.total > 0)
        limits.total = std::min<qint64>(limits.total, 6 * 1024 * 1024);
    limits.single = 32 * sysconf(_SC_PAGESIZE);
#endif
    return limits;
}

qint64 ExecLimits::cost(qint64 bytes)
{
    return bytes + 1 + qint64(sizeof(char *));
}
