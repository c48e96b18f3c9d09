#pragma once

#include <QString>

// Where a service's control socket lies: one per profile, in $XDG_RUNTIME_DIR/shard-manager/;
// when XDG_RUNTIME_DIR is unset, in /run/user/<uid>/shard-manager/ if that folder is there (an
// ssh session without PAM), else in the temporary folder as shard-manager-<uid>/.
namespace ControlPaths {

QString directory();

// The socket of the service that runs this profile (named by the profile's canonical path, so
// two spellings of one file meet at one socket).
QString socketFor(const QString &profilePath);

// Where a service the window started writes its own status lines (its stdout and stderr):
// $XDG_STATE_HOME/shard-manager/ (~/.local/state/shard-manager/), named as the socket.
QString serviceLogFor(const QString &profilePath);

} // namespace ControlPaths
