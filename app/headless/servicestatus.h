#pragma once

#include <QString>

// `shard-manager --status PROFILE`: asks the service running PROFILE over its control socket and
// prints it (pid, socket, since when) and one line per process. Returns 0, or 3 when no service
// runs that profile.
// readyOnly (--status --ready, a readiness probe): 0 only when every process runs and each shard
// of it is ready (its IPC "ready", or a ready or resumed gateway state for every shard), else 1.
int printServiceStatus(const QString &profilePath, bool readyOnly = false);

// What --status and --control say when no service answers for profilePath on socketPath.
QString noServiceText(const QString &profilePath, const QString &socketPath);
