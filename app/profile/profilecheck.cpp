#include "profile/profilecheck.h"

#include "output/osdate.h"
#include "platform/execlimits.h"
#include "profile/profile.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

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

void ProfileCheck::values(const Profile &p, QList<ProfileError> *errors)
{
    auto check = [errors](bool ok, const QString &key, const QString &message) {
        if (!ok)
            errors->append({key, message});
    };

    if (p.file.isEmpty()) {
        errors->append({u"file"_s, Profile::tr("required: the bot file to run")});
    } else {
        const QFileInfo info(p.resolvedFile());
        check(info.exists(), u"file"_s, Profile::tr("%1 does not exist").arg(info.filePath()));
        check(!info.exists() || info.isFile(), u"file"_s,
              Profile::tr("%1 is not a file").arg(info.filePath()));
    }
    if (p.interpreter.isEmpty())
        errors->append(
            {u"interpreter"_s, Profile::tr("required: the program that runs the bot file")});
    else if (p.resolvedInterpreter().isEmpty())
        errors->append(
            {u"interpreter"_s,
             p.interpreter.contains(u'/')
                 ? Profile::tr("%1 is not an executable file").arg(p.resolvePath(p.interpreter))
                 : Profile::tr("\"%1\" was not found in PATH").arg(p.interpreter)});
    if (!p.workingDirectory.isEmpty())
        check(QFileInfo(p.resolvedWorkingDirectory()).isDir(), u"workingDirectory"_s,
              Profile::tr("%1 is not a folder").arg(p.resolvedWorkingDirectory()));
    check(p.host == u"localhost"_s || !QHostAddress(p.host).isNull(), u"host"_s,
          Profile::tr("must be an IP address such as 127.0.0.1 (got \"%1\")").arg(p.host));
    if (!p.maxShardsAuto && p.maxShards >= 1 && p.shardsPerProcess >= 1)
        check(p.shardsPerProcess <= p.maxShards, u"shardsPerProcess"_s,
              Profile::tr("must not exceed maxShards (%1 > %2)")
                  .arg(p.shardsPerProcess)
                  .arg(p.maxShards));
    check(!p.timestamp.isEmpty() && p.timestamp != u"!"_s, u"timestamp"_s,
          Profile::tr("must not be empty; the default is %1").arg(Profile().timestamp));
    static const QRegularExpression envName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    check(envName.match(p.tokenEnv).hasMatch() && !p.tokenEnv.startsWith(u"SHARDER_"_s),
          u"tokenEnv"_s,
          Profile::tr("must be an environment variable name such as DISCORD_TOKEN, not starting "
                      "with SHARDER_ (got \"%1\")")
              .arg(p.tokenEnv));
    if (p.restartDelayMax >= 0)
        check(p.restartDelayMax >= p.restartDelay, u"restartDelayMax"_s,
              Profile::tr("must be at least restartDelay (%1 < %2)")
                  .arg(p.restartDelayMax)
                  .arg(p.restartDelay));
    const QUrl api(p.discordApi);
    const bool loopback = api.host() == u"localhost"_s || QHostAddress(api.host()).isLoopback();
    check(api.isValid() && (api.scheme() == u"https"_s || (api.scheme() == u"http"_s && loopback))
              && !api.host().isEmpty(),
          u"discordApi"_s,
          Profile::tr("must be an https URL, or http on this machine only: the token travels with "
                      "each request (got \"%1\")")
              .arg(p.discordApi));
    if (p.memoryLimit >= 0)
        check(p.memoryLimit >= p.memoryWarn, u"memoryLimit"_s,
              Profile::tr("must be at least memoryWarn"));
}

void ProfileCheck::logFile(const Profile &profile, QList<ProfileError> *errors)
{
    if (profile.logFile.isEmpty())
        return;
    const QString path = profile.resolvedLogFile();
    const QFileInfo info(path);
    if (info.exists()) {
        if (info.isDir())
            errors->append({u"logFile"_s, Profile::tr("%1 is a folder, not a file").arg(path)});
        else if (!info.isWritable())
            errors->append(
                {u"logFile"_s, Profile::tr("%1 cannot be written by this user").arg(path)});
        return;
    }
    // The run creates the file, and the folders missing above it, inside the nearest folder
    // that exists; a regular file on the way (ENOTDIR) makes that impossible.
    QFileInfo existing(info.absolutePath());
    while (!existing.exists() && !existing.isRoot())
        existing = QFileInfo(existing.absolutePath());
    if (!existing.isDir())
        errors->append({u"logFile"_s,
                        Profile::tr("cannot create %1: %2 is a file, not a folder")
                            .arg(path, existing.filePath())});
    else if (!existing.isWritable() || !existing.isExecutable())
        errors->append({u"logFile"_s,
                        Profile::tr("cannot create %1: this user may not write in %2")
                            .arg(path, existing.filePath())});
}

void ProfileCheck::commandLine(const Profile &profile, QList<ProfileError> *errors)
{
    const ExecLimits::Limits limits = ExecLimits::current();
    // The last process has the longest numbers; "auto" may bring up to the most allowed.
    const int shards = profile.maxShardsAuto ? Profile::kMaxShards : std::max(profile.maxShards, 1);
    const ShardRange range {shards - 1, shards - 1, shards - 1};
    QString program = profile.resolvedInterpreter();
    if (program.isEmpty())
        program = profile.interpreter;
    const QStringList arguments = profile.childArguments(range, shards);
    const QStringList environment
        = profile
              .childEnvironment(range, shards, QString(kIpcTokenLength, u'0'),
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
            errors->append(
                {key,
                 Profile::tr("%1 has %2 bytes, more than the system takes in one string (%3): "
                             "no process could start (Argument list too long)")
                     .arg(what)
                     .arg(size)
                     .arg(limits.single - 1)});
    };
    QHash<QString, qint64> costs;
    // The program's path is copied twice: as the file to run and as argv[0].
    costs[u"interpreter"_s] = 2 * ExecLimits::cost(bytes(program));
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const qint64 size = bytes(arguments.at(i));
        costs[keyOf(i)] += ExecLimits::cost(size);
        tooLong(keyOf(i), Profile::tr("an argument"), size);
    }
    for (const QString &variable : environment) {
        const qint64 size = bytes(variable);
        costs[QString()] += ExecLimits::cost(size);
        tooLong(QString(),
                Profile::tr("the environment variable %1").arg(variable.section(u'=', 0, 0)), size);
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
    errors->append({key,
                    Profile::tr("the command line and environment of a process take %1 bytes, more "
                                "than the system takes (%2): no process could start (Argument "
                                "list too long)")
                        .arg(total)
                        .arg(limits.total)});
}

void ProfileCheck::timestamp(const Profile &profile, QList<ProfileError> *errors)
{
    const OsDate date(profile.timestamp);
    // Names of days and months differ in length; a Wednesday in September has the longest in
    // English.
    for (const QDateTime &time :
         {QDateTime::currentDateTime(), QDateTime(QDate(2024, 9, 25), QTime(23, 59, 59))}) {
        if (!date.tryFormat(time)) {
            errors->append({u"timestamp"_s,
                            Profile::tr("makes more than %1 bytes of text, more than a "
                                        "log line may start with")
                                .arg(OsDate::kMaxLength)});
            return;
        }
    }
}

void ProfileCheck::afterLoad(const Profile &profile, QList<ProfileError> *errors)
{
    const bool readable = std::all_of(errors->cbegin(), errors->cend(),
                                      [](const ProfileError &e) { return !e.key.isEmpty(); });
    if (!readable)
        return;
    const QList<ProfileError> read = *errors;
    for (const ProfileError &problem : profile.validate()) {
        const bool keyReported
            = std::any_of(read.cbegin(), read.cend(), [&](const ProfileError &e) {
                  return !problem.key.isEmpty() && e.key == problem.key;
              });
        if (!keyReported)
            errors->append(problem);
    }
}
