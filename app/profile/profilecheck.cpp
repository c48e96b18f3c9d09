#include "profile/profilecheck.h"

#include "output/osdate.h"
#include "platform/execlimits.h"
#include "profile/profile.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Stand-ins as long as the secrets a process gets at run time: the per-process IPC token is 32
// hex digits, and Discord's bot tokens are about 72 characters (room left for longer ones).
constexpr int kIpcTokenLength = 32;
constexpr int kTokenReserve = 128;

qint64 bytes(const QString &text)
{
    return text.toLocal8Bit().size();
}

} // namespace

void ProfileCheck::logFile(const Profile &profile, QList<ProfileError> *errors)
{
    if (profile.logFile.isEmpty())
        return;
    const QString path = profile.resolvedLogFile();
    const QFileInfo info(path);
    if (info.exists()) {
        if (info.isDir())
            errors->append({u"logFile"_s, u"%1 is a folder, not a file"_s.arg(path)});
        else if (!info.isWritable())
            errors->append({u"logFile"_s, u"%1 cannot be written by this user"_s.arg(path)});
        return;
    }
    // The run creates the file, and the folders missing above it, inside the nearest folder
    // that exists; a regular file on the way (ENOTDIR) makes that impossible.
    QFileInfo existing(info.absolutePath());
    while (!existing.exists() && !existing.isRoot())
        existing = QFileInfo(existing.absolutePath());
    if (!existing.isDir())
        errors->append({u"logFile"_s, u"cannot create %1: %2 is a file, not a folder"_s
                                          .arg(path, existing.filePath())});
    else if (!existing.isWritable() || !existing.isExecutable())
        errors->append({u"logFile"_s, u"cannot create %1: this user may not write in %2"_s
                                          .arg(path, existing.filePath())});
}

void ProfileCheck::commandLine(const Profile &profile, QList<ProfileError> *errors)
{
    const ExecLimits::Limits limits = ExecLimits::current();
    // The last process has the longest numbers; "auto" may bring up to the most allowed.
    const int shards = profile.maxShardsAuto ? Profile::kMaxShards : std::max(profile.maxShards, 1);
    const ShardRange range{shards - 1, shards - 1, shards - 1};
    QString program = profile.resolvedInterpreter();
    if (program.isEmpty())
        program = profile.interpreter;
    const QStringList arguments = profile.childArguments(range, shards);
    const QStringList environment =
        profile.childEnvironment(range, shards, QString(kIpcTokenLength, u'0'),
                                 QString(kTokenReserve, u'x'))
            .toStringList();

    // Which key an argument comes from: interpreterArgs, then the file and four numbers, then
    // arguments. The environment is no key of the profile: it goes under none.
    const qsizetype fileAt = profile.interpreterArgs.size();
    auto keyOf = [fileAt](qsizetype i) {
        return i < fileAt ? u"interpreterArgs"_s : i <= fileAt + 4 ? u"file"_s : u"arguments"_s;
    };
    auto tooLong = [&](const QString &key, const QString &what, qint64 size) {
        if (limits.single > 0 && size + 1 > limits.single)
            errors->append({key, u"%1 has %2 bytes, more than the system takes in one string (%3): "
                                 "no process could start (Argument list too long)"_s
                                     .arg(what).arg(size).arg(limits.single - 1)});
    };
    QHash<QString, qint64> costs;
    // The program's path is copied twice: as the file to run and as argv[0].
    costs[u"interpreter"_s] = 2 * ExecLimits::cost(bytes(program));
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const qint64 size = bytes(arguments.at(i));
        costs[keyOf(i)] += ExecLimits::cost(size);
        tooLong(keyOf(i), u"an argument"_s, size);
    }
    for (const QString &variable : environment) {
        const qint64 size = bytes(variable);
        costs[QString()] += ExecLimits::cost(size);
        tooLong(QString(), u"the environment variable "_s + variable.section(u'=', 0, 0), size);
    }
    qint64 total = 0;
    for (qint64 cost : std::as_const(costs))
        total += cost;
    if (limits.total <= 0 || total <= limits.total)
        return;
    // Named after what takes the most: that is what to shorten.
    QString key;
    for (auto it = costs.cbegin(); it != costs.cend(); ++it) {
        if (it.value() > costs.value(key))
            key = it.key();
    }
    errors->append({key, u"the command line and environment of a process take %1 bytes, more than "
                         "the system takes (%2): no process could start (Argument list too long)"_s
                             .arg(total).arg(limits.total)});
}

void ProfileCheck::timestamp(const Profile &profile, QList<ProfileError> *errors)
{
    const OsDate date(profile.timestamp);
    // Names of days and months differ in length; a Wednesday in September has the longest in
    // English.
    for (const QDateTime &time : {QDateTime::currentDateTime(),
                                  QDateTime(QDate(2024, 9, 25), QTime(23, 59, 59))}) {
        if (!date.tryFormat(time)) {
            errors->append({u"timestamp"_s, u"makes more than %1 bytes of text, more than a log "
                                            "line may start with"_s.arg(OsDate::kMaxLength)});
            return;
        }
    }
}
