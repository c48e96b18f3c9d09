#include "platform/filewrite.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

FileWrite::Result FileWrite::write(int descriptor, const char *data, qint64 size)
{
    Result result;
    while (result.written < size) {
        const ssize_t n = ::write(descriptor, data + result.written, size_t(size - result.written));
        if (n > 0) {
            result.written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            // A regular file never takes 0 bytes of a non-empty write; if one does, it failed.
            result.error = n < 0 ? errno : EIO;
            break;
        }
    }
    return result;
}

QString FileWrite::errorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

void FileWrite::surviveFileSizeLimit()
{
    std::signal(SIGXFSZ, SIG_IGN);
}
