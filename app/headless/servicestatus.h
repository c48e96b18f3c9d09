#pragma once

#include <QString>

// `shard-manager --status PROFILE`: asks the service running PROFILE over its control socket and
// prints it (pid, socket, since when) and one line per process. Returns 0, or 3 when no service
// runs that profile.
int printServiceStatus(const QString &profilePath);

// What --status and --control say when no service answers for profilePath on socketPath.
QString noServiceText(const QString &profilePath, const QString &socketPath);
