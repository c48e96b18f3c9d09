#pragma once

#include <QHash>
#include <QHostAddress>

// Which of our child process groups holds the client end of a loopback TCP connection.
// Linux answers with one sock_diag query (the socket's inode) and the descriptors of our own
// groups' processes only, cached between calls: constant work per connection, never a walk of
// every process on the machine. Where no such source exists it answers "unknown" and the IPC
// server falls back to the hello line.
namespace SocketOwner {

// groups maps a process-group id (a child's pid) to our process index.
// Returns the process index, or -1 when no listed group holds the socket or it cannot be told.
int find(const QHostAddress &clientAddress, quint16 clientPort, const QHostAddress &serverAddress,
         quint16 serverPort, const QHash<qint64, int> &groups);

// True where find() can answer at all (Linux with /proc mounted).
bool isSupported();

// What find() has done so far in this process, so tests and benchmarks can check that the work
// per connection stays constant.
struct Work {
    qint64 lookups = 0; // calls that asked the kernel for a socket
    qint64 processesScanned = 0; // processes whose descriptor table was read
    qint64 descriptorsRead = 0; // descriptors looked at (readlink)
};
Work work();

} // namespace SocketOwner
