#pragma once

#include <QString>
#include <QtGlobal>

// Who may reach a local (Unix-domain) socket: the control socket of a service is this user's
// alone, in a folder only this user may enter, and a peer is asked for its user id.
namespace LocalAccess {

// This process's user id.
qint64 currentUid();

// The user id of the process at the other end of a connected local socket, -1 when unknown.
qint64 peerUid(qintptr socketDescriptor);

// Makes path (parents as needed) a folder only its owner may enter (0700), or checks that the
// one there is ours and no one else's; false with the reason otherwise.
bool makePrivateDirectory(const QString &path, QString *error);

// Read and write for the owner only (0600).
bool makeOwnerOnly(const QString &path);

} // namespace LocalAccess
