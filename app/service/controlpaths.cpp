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
    return QDir(QDir::tempPath()).filePath(u"shard-manager-%1"_s.arg(LocalAccess::currentUid()));
}

QString ControlPaths::socketFor(const QString &profilePath)
{
    const QFileInfo info(profilePath);
    const QString canonical = info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    // The profile's name first, for a person listing the folder; the hash keeps two profiles
    // of one name apart; Unix socket paths stay well under their 108 bytes.
    return QDir(directory())
        .filePath(info.completeBaseName().left(32) + u'-' + QString::fromLatin1(hash) + u".sock"_s);
}
