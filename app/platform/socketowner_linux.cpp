#include "platform/socketowner.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QtEndian>

#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <unistd.h>

namespace {

// Parses "0100007F:0539" (address words as the kernel prints them, port in hex).
bool parseEndpoint(const QByteArray &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.indexOf(':');
    if (colon != 8 && colon != 32)
        return false;
    bool ok = false;
    *port = quint16(text.mid(colon + 1).toUInt(&ok, 16));
    if (!ok)
        return false;
    // Each 32-bit word is printed as a native integer of network-order bytes: copying the
    // integer back into memory gives the bytes in network order.
    quint8 bytes[16];
    const int words = int(colon / 8);
    for (int i = 0; i < words; ++i) {
        const quint32 word = text.mid(i * 8, 8).toUInt(&ok, 16);
        if (!ok)
            return false;
        std::memcpy(bytes + 4 * i, &word, 4);
    }
    if (words == 1) {
        quint32 networkOrder;
        std::memcpy(&networkOrder, bytes, 4);
        *address = QHostAddress(qFromBigEndian(networkOrder));
    } else {
        *address = QHostAddress(bytes);
    }
    return true;
}

bool sameAddress(const QHostAddress &a, const QHostAddress &b)
{
    return a.isEqual(b, QHostAddress::TolerantConversion);
}

// The inode of the socket whose local end is client and remote end is server.
QByteArray socketInode(const QHostAddress &client, quint16 clientPort, const QHostAddress &server,
                       quint16 serverPort)
{
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines.at(i).simplified().split(' ');
            if (fields.size() < 10)
                continue;
            QHostAddress local, remote;
            quint16 localPort = 0, remotePort = 0;
            if (!parseEndpoint(fields.at(1), &local, &localPort)
                || !parseEndpoint(fields.at(2), &remote, &remotePort))
                continue;
            if (localPort == clientPort && remotePort == serverPort && sameAddress(local, client)
                && sameAddress(remote, server))
                return fields.at(9);
        }
    }
    return QByteArray();
}

// The process group of pid, from /proc/<pid>/stat (field 5; the command may contain spaces).
qint64 processGroup(const char *pid)
{
    char path[300];
    std::snprintf(path, sizeof path, "/proc/%s/stat", pid);
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.read(1024);
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // After the command: state, ppid, pgrp.
    return fields.size() > 2 ? fields.at(2).toLongLong() : -1;
}

bool holdsSocket(const char *pid, const QByteArray &target)
{
    char path[300];
    std::snprintf(path, sizeof path, "/proc/%s/fd", pid);
    DIR *dir = opendir(path);
    if (!dir)
        return false;
    bool found = false;
    char link[600], buffer[128];
    while (dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        std::snprintf(link, sizeof link, "%s/%s", path, entry->d_name);
        const ssize_t n = readlink(link, buffer, sizeof buffer - 1);
        if (n > 0 && QByteArray::fromRawData(buffer, n) == target) {
            found = true;
            break;
        }
    }
    closedir(dir);
    return found;
}

} // namespace

bool SocketOwner::isSupported()
{
    return QFile::exists(QStringLiteral("/proc/net/tcp"));
}

int SocketOwner::find(const QHostAddress &clientAddress, quint16 clientPort,
                      const QHostAddress &serverAddress, quint16 serverPort,
                      const QHash<qint64, int> &groups)
{
    if (groups.isEmpty())
        return -1;
    const QByteArray inode = socketInode(clientAddress, clientPort, serverAddress, serverPort);
    if (inode.isEmpty() || inode == "0")
        return -1;
    const QByteArray target = "socket:[" + inode + ']';

    DIR *proc = opendir("/proc");
    if (!proc)
        return -1;
    int owner = -1;
    while (dirent *entry = readdir(proc)) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        const auto group = groups.constFind(processGroup(entry->d_name));
        if (group != groups.cend() && holdsSocket(entry->d_name, target)) {
            owner = group.value();
            break;
        }
    }
    closedir(proc);
    return owner;
}
