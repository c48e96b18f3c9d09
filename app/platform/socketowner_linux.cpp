#include "platform/socketowner.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QtEndian>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

// Constant work per connection (DESIGN §5): the kernel names the socket's inode in one
// sock_diag query for the one 4-tuple, and only our own process groups' descriptors are read,
// most likely holders first, with what was read kept for the next accept. The former way (all of
// /proc/net/tcp and every process on the machine per connection) took seconds of the event loop
// when 200 children connected at once.

namespace {

struct Holder {
    qint64 group = 0;
    qint64 pid = 0;
    int fd = -1;
};

// What earlier scans learnt; the event loop's thread is the only user.
struct Cache {
    QHash<quint64, Holder> holders; // socket inode -> who held it when last seen
    QSet<qint64> groupsWithConnections; // scanned later on a miss: their sockets are known
};

Cache &cache()
{
    static thread_local Cache c;
    return c;
}

SocketOwner::Work g_work;

// Kept small: a manager that restarts children for weeks must not keep every inode it saw.
constexpr qsizetype kMaxCached = 8192;

bool fillAddress(const QHostAddress &address, int family, __be32 *words)
{
    if (family == AF_INET) {
        bool ok = false;
        const quint32 v4 = address.toIPv4Address(&ok);
        if (!ok)
            return false;
        words[0] = qToBigEndian(v4);
        return true;
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    std::memcpy(words, v6.c, 16);
    return true;
}

// The inode of the TCP socket whose local end is client and remote end is server, from one
// NETLINK_SOCK_DIAG exact lookup; 0 when the kernel knows no such socket.
quint64 diagInode(int family, const QHostAddress &client, quint16 clientPort,
                  const QHostAddress &server, quint16 serverPort)
{
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message {};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST;
    message.request.sdiag_family = quint8(family);
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = ~0u;
    message.request.id.idiag_sport = qToBigEndian(clientPort);
    message.request.id.idiag_dport = qToBigEndian(serverPort);
    message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    if (!fillAddress(client, family, message.request.id.idiag_src)
        || !fillAddress(server, family, message.request.id.idiag_dst))
        return 0;

    const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return 0;
    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    quint64 inode = 0;
    if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel),
                 sizeof kernel)
        == ssize_t(sizeof message)) {
        char buffer[8192];
        ssize_t n;
        do {
            n = ::recv(fd, buffer, sizeof buffer, 0);
        } while (n < 0 && errno == EINTR);
        // An exact lookup answers with one message: the socket, or an error.
        constexpr size_t kHeader = (sizeof(nlmsghdr) + 3) & ~size_t(3); // NLMSG_HDRLEN
        nlmsghdr header;
        if (n >= ssize_t(kHeader + sizeof(inet_diag_msg))) {
            std::memcpy(&header, buffer, sizeof header);
            if (header.nlmsg_type == SOCK_DIAG_BY_FAMILY
                && header.nlmsg_len >= kHeader + sizeof(inet_diag_msg)) {
                inet_diag_msg answer;
                std::memcpy(&answer, buffer + kHeader, sizeof answer);
                inode = answer.idiag_inode;
            }
        }
    }
    ::close(fd);
    return inode;
}

quint64 socketInode(const QHostAddress &client, quint16 clientPort, const QHostAddress &server,
                    quint16 serverPort)
{
    // A dual-stack server sees a child's IPv4 socket as ::ffff:a.b.c.d: ask for the IPv4 socket
    // first, then for an IPv6 one.
    bool v4 = false;
    client.toIPv4Address(&v4);
    if (v4) {
        if (const quint64 inode = diagInode(AF_INET, client, clientPort, server, serverPort))
            return inode;
    }
    return diagInode(AF_INET6, client, clientPort, server, serverPort);
}

// "socket:[123]" -> 123; 0 for anything else.
quint64 inodeOfLink(const char *link, ssize_t size)
{
    constexpr char prefix[] = "socket:[";
    constexpr ssize_t prefixSize = sizeof prefix - 1;
    if (size <= prefixSize + 1 || std::memcmp(link, prefix, prefixSize) != 0
        || link[size - 1] != ']')
        return 0;
    quint64 inode = 0;
    for (ssize_t i = prefixSize; i < size - 1; ++i) {
        if (link[i] < '0' || link[i] > '9')
            return 0;
        inode = inode * 10 + quint64(link[i] - '0');
    }
    return inode;
}

quint64 inodeAt(qint64 pid, int fd)
{
    char path[64], link[64];
    std::snprintf(path, sizeof path, "/proc/%lld/fd/%d", static_cast<long long>(pid), fd);
    const ssize_t n = ::readlink(path, link, sizeof link);
    return n > 0 ? inodeOfLink(link, n) : 0;
}

// Reads every descriptor of pid, remembering its sockets; true when one of them is target.
bool scanDescriptors(qint64 group, qint64 pid, quint64 target)
{
    ++g_work.processesScanned;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%lld/fd", static_cast<long long>(pid));
    DIR *dir = ::opendir(path);
    if (!dir)
        return false;
    Cache &c = cache();
    bool found = false;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        char link[64];
        ++g_work.descriptorsRead;
        const ssize_t n = ::readlinkat(::dirfd(dir), entry->d_name, link, sizeof link);
        if (const quint64 inode = n > 0 ? inodeOfLink(link, n) : 0) {
            c.holders.insert(inode, {group, pid, std::atoi(entry->d_name)});
            found = found || inode == target;
        }
    }
    ::closedir(dir);
    return found;
}

// Children of pid, from /proc/<pid>/task/<tid>/children (any of its threads may have forked).
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%lld/task", static_cast<long long>(pid));
    DIR *tasks = ::opendir(path);
    if (!tasks)
        return children;
    while (const dirent *task = ::readdir(tasks)) {
        if (task->d_name[0] < '0' || task->d_name[0] > '9')
            continue;
        char file[400];
        std::snprintf(file, sizeof file, "%s/%s/children", path, task->d_name);
        if (FILE *f = std::fopen(file, "re")) {
            long long child;
            while (std::fscanf(f, "%lld", &child) == 1)
                children.append(child);
            std::fclose(f);
        }
    }
    ::closedir(tasks);
    return children;
}

// The process group of pid, from /proc/<pid>/stat (after the command: state, ppid, pgrp).
qint64 processGroup(qint64 pid)
{
    char path[64], stat[512];
    std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
    FILE *f = std::fopen(path, "re");
    if (!f)
        return -1;
    const size_t n = std::fread(stat, 1, sizeof stat - 1, f);
    std::fclose(f);
    stat[n] = '\0';
    const char *close = std::strrchr(stat, ')');
    long long group = -1;
    if (!close || std::sscanf(close + 1, " %*c %*d %lld", &group) != 1)
        return -1;
    return group;
}

// The group's leader (our child) first; its descendants still in its group only if the leader
// does not hold the socket (a wrapper that runs the bot as its child).
bool groupHolds(qint64 group, quint64 target)
{
    if (scanDescriptors(group, group, target))
        return true;
    QList<qint64> queue = childrenOf(group);
    while (!queue.isEmpty()) {
        const qint64 pid = queue.takeFirst();
        if (processGroup(pid) != group)
            continue; // moved to a group (or session) of its own: no longer that child's
        if (scanDescriptors(group, pid, target))
            return true;
        queue.append(childrenOf(pid));
    }
    return false;
}

} // namespace

bool SocketOwner::isSupported()
{
    return ::access("/proc/self/fd", R_OK) == 0;
}

SocketOwner::Work SocketOwner::work()
{
    return g_work;
}

int SocketOwner::find(const QHostAddress &clientAddress, quint16 clientPort,
                      const QHostAddress &serverAddress, quint16 serverPort,
                      const QHash<qint64, int> &groups)
{
    if (groups.isEmpty())
        return -1;
    ++g_work.lookups;
    const quint64 inode = socketInode(clientAddress, clientPort, serverAddress, serverPort);
    if (inode == 0)
        return -1;
    Cache &c = cache();
    // Known from an earlier scan: one readlink says whether it is still so.
    if (const auto known = c.holders.constFind(inode); known != c.holders.cend()) {
        const Holder h = known.value();
        const auto group = groups.constFind(h.group);
        ++g_work.descriptorsRead;
        if (group != groups.cend() && inodeAt(h.pid, h.fd) == inode) {
            c.groupsWithConnections.insert(h.group);
            return group.value();
        }
        c.holders.remove(inode);
    }
    if (c.holders.size() > kMaxCached) {
        c.holders.clear();
        c.groupsWithConnections.clear();
    }
    // Groups that have no connection yet are the likely owners of a new one (a child that just
    // started): those first, oldest (smallest pid, usually started first) first.
    QList<qint64> order = groups.keys();
    std::sort(order.begin(), order.end(), [&c](qint64 a, qint64 b) {
        const bool aKnown = c.groupsWithConnections.contains(a);
        const bool bKnown = c.groupsWithConnections.contains(b);
        return aKnown != bKnown ? bKnown : a < b;
    });
    for (const qint64 group : std::as_const(order)) {
        if (group > 0 && groupHolds(group, inode)) {
            c.groupsWithConnections.insert(group);
            return groups.value(group);
        }
    }
    return -1;
}
