#include "service/controlpaths.h"

#include "platform/localaccess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

QString ControlPaths::directory()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty())
        return QDir(runtime).filePath(u"shard-manager"_s);
    // What systemd-logind makes for the user's sessions: an ssh session without PAM (no
    // XDG_RUNTIME_DIR) still meets the service started in a login session there.
    const QString logind = u"/run/user/%1"_s.arg(LocalAccess::currentUid());
    if (QFileInfo(logind).isDir() && QFileInfo(logind).isWritable())
        return QDir(logind).filePath(u"shard-manager"_s);
    return QDir(QDir::tempPath()).filePath(u"shard-manager-%1"_s.arg(LocalAccess::currentUid()));
}

namespace {
// The profile's name first, for a person listing the folder; the hash keeps two profiles of one
// name apart (and Unix socket paths well under their 108 bytes).
QString baseNameFor(const QString &profilePath)
{
    const QFileInfo info(profilePath);
    const QString canonical = info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    return info.completeBaseName().left(32) + u'-' + QString::fromLatin1(hash);
}
} // namespace

QString ControlPaths::socketFor(const QString &profilePath)
{
    return QDir(directory()).filePath(baseNameFor(profilePath) + u".sock"_s);
}

QString ControlPaths::serviceLogFor(const QString &profilePath)
{
    QString state = qEnvironmentVariable("XDG_STATE_HOME");
    if (state.isEmpty())
        state = QDir::home().filePath(u".local/state"_s);
    return QDir(state).filePath(u"shard-manager/"_s + baseNameFor(profilePath) + u".log"_s);
}
