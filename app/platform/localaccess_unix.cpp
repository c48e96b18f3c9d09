#include "platform/localaccess.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

qint64 LocalAccess::currentUid()
{
    return qint64(::geteuid());
}

qint64 LocalAccess::peerUid(qintptr socketDescriptor)
{
#ifdef SO_PEERCRED
    ucred credentials {};
    socklen_t size = sizeof(credentials);
    if (::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0)
        return qint64(credentials.uid);
#else
    Q_UNUSED(socketDescriptor)
#endif
    return -1;
}

bool LocalAccess::makePrivateDirectory(const QString &path, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (::mkdir(name.constData(), 0700) != 0 && errno != EEXIST) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    struct stat info { };
    if (::lstat(name.constData(), &info) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    // A folder someone else made (in a shared temporary folder) or a link to one: not ours.
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::geteuid()) {
        *error = QStringLiteral("it exists and is not a folder of this user");
        return false;
    }
    if ((info.st_mode & 0777) != 0700 && ::chmod(name.constData(), 0700) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    return true;
}

bool LocalAccess::makeOwnerOnly(const QString &path)
{
    return ::chmod(QFile::encodeName(path).constData(), 0600) == 0;
}
