#pragma once

#include <QHash>
#include <QHostAddress>

// Which of our child process groups holds the client end of a loopback TCP connection.
// Linux answers from /proc (the socket's inode among the fds of the group's processes); where
// no such source exists it answers "unknown" and the IPC server falls back to the hello line.
namespace SocketOwner {

// groups maps a process-group id (a child's pid) to our process index.
// Returns the process index, or -1 when no listed group holds the socket or it cannot be told.
int find(const QHostAddress &clientAddress, quint16 clientPort, const QHostAddress &serverAddress,
         quint16 serverPort, const QHash<qint64, int> &groups);

// True where find() can answer at all (Linux with /proc mounted).
bool isSupported();

} // namespace SocketOwner
