#include "profile/profileschema.h"

#include <QJsonArray>

#include <array>
#include <cmath>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace {

using Key = ProfileKey;
using G = ProfileKey::Group;
using U = ProfileKey::Unit;
using P = ProfileKey::Path;

constexpr std::array kIpcAcceptChoices {
    Key::Choice {
        "children",
        QT_TRANSLATE_NOOP("ProfileKey", "Only processes this manager started, and their children")},
    Key::Choice {"any",
                 QT_TRANSLATE_NOOP("ProfileKey",
                                   "Also processes that are not ours, such as a local dashboard")},
};

// The editor shows the keys in this order. Defaults are the Profile members' initialisers.
const std::array kKeys {
    // Bot
    Key {.name = "file",
         .member = &Profile::file,
         .group = G::Bot,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Bot file"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The bot file every process runs; a relative path is "
                                   "resolved against the profile's folder."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "required, e.g. bot.lua"),
         .path = P::File,
         .alwaysSaved = true},
    Key {.name = "interpreter",
         .member = &Profile::interpreter,
         .group = G::Bot,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Interpreter"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The program that runs the bot file; a bare name such "
                                   "as luvit is looked up in PATH."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "e.g. luvit, node or python3"),
         .path = P::Program,
         .alwaysSaved = true},
    Key {.name = "interpreterArgs",
         .member = &Profile::interpreterArgs,
         .group = G::Bot,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Interpreter arguments"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Arguments placed before the bot file, separated by "
                                   "spaces; put double quotes around one that contains "
                                   "a space."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "none")},
    Key {.name = "workingDirectory",
         .member = &Profile::workingDirectory,
         .group = G::Bot,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Working folder"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The folder the processes run in; empty means the bot "
                                   "file's folder."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "folder of the bot file"),
         .path = P::Folder,
         .nullable = true},
    Key {.name = "arguments",
         .member = &Profile::arguments,
         .group = G::Bot,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Extra arguments"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Extra arguments every process gets after maxShards, "
                                   "separated by spaces; put double quotes around one "
                                   "that contains a space."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "none")},
    // Shards
    Key {.name = "maxShards",
         .member = &Profile::maxShards,
         .group = G::Shards,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Total shards"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The total number of gateway shards, or auto to use "
                                   "the count Discord recommends."),
         .minimum = 1,
         .maximum = Profile::kMaxShards,
         .unit = U::Shards,
         .alwaysSaved = true,
         .automatic = &Profile::maxShardsAuto},
    Key {.name = "shardsPerProcess",
         .member = &Profile::shardsPerProcess,
         .group = G::Shards,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Shards per process"),
         .help = QT_TRANSLATE_NOOP("ProfileKey", "How many consecutive shards each process owns."),
         .minimum = 1,
         .unit = U::Shards,
         .alwaysSaved = true},
    Key {.name = "waitTime",
         .member = &Profile::waitTime,
         .group = G::Shards,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Wait between starts"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The time between starting one process and the next, "
                                   "in milliseconds."),
         .step = 500,
         .unit = U::Milliseconds},
    // Restarts
    Key {.name = "autoRestart",
         .member = &Profile::autoRestart,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Auto restart"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Restart a process that exits on its own, after the "
                                   "restart delay."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "Restart on unexpected exit")},
    Key {.name = "stopTimeout",
         .member = &Profile::stopTimeout,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Stop timeout"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "How long a stopping process gets after SIGTERM before "
                                   "it is killed with SIGKILL."),
         .step = 1000,
         .unit = U::Milliseconds},
    Key {.name = "restartDelay",
         .member = &Profile::restartDelay,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "First restart delay"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The wait before restarting a crashed process; it "
                                   "doubles with each further crash."),
         .step = 500,
         .unit = U::Milliseconds},
    Key {.name = "restartDelayMax",
         .member = &Profile::restartDelayMax,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Longest restart delay"),
         .help = QT_TRANSLATE_NOOP("ProfileKey", "The upper bound of the doubling restart delay."),
         .step = 1000,
         .unit = U::Milliseconds},
    Key {.name = "maxRestarts",
         .member = &Profile::maxRestarts,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Crash limit"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "A process that crashes more often than this within "
                                   "the crash window is given up on (state crash loop)."),
         .unit = U::Times},
    Key {.name = "restartWindow",
         .member = &Profile::restartWindow,
         .group = G::Restarts,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Crash window"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The period crashes are counted in; a process that "
                                   "runs this long also gets its restart delay reset."),
         .minimum = 1,
         .step = 1000,
         .unit = U::Milliseconds},
    // Logging
    Key {.name = "logFile",
         .member = &Profile::logFile,
         .group = G::Logging,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Log file"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "A file that receives every line of every process, "
                                   "appended; empty means no log file."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "none"),
         .path = P::NewFile,
         .nullable = true},
    Key {.name = "timestamp",
         .member = &Profile::timestamp,
         .group = G::Logging,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Timestamp format"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The os.date format of log line times: a leading ! "
                                   "means UTC, then strftime conversions such as "
                                   "%Y-%m-%d %H:%M:%S.")},
    Key {.name = "silent",
         .member = &Profile::silent,
         .group = G::Logging,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Silent"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "When off, every line a process prints is also echoed "
                                   "to the manager's own stdout."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "Don't echo output to stdout")},
    // IPC
    Key {.name = "host",
         .member = &Profile::host,
         .group = G::Ipc,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Listen address"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The address the IPC server listens on, such as "
                                   "127.0.0.1.")},
    Key {.name = "port",
         .member = &Profile::port,
         .group = G::Ipc,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Port"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The TCP port of the IPC server, also passed to every "
                                   "process as its port argument."),
         .minimum = 1,
         .maximum = 65535,
         .alwaysSaved = true},
    Key {.name = "ipcAccept",
         .member = &Profile::ipcAccept,
         .group = G::Ipc,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Accept IPC from"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "children accepts IPC connections only from this "
                                   "manager's processes; any also accepts processes "
                                   "that are not ours."),
         .choices = kIpcAcceptChoices},
    // Discord and memory
    Key {.name = "tokenEnv",
         .member = &Profile::tokenEnv,
         .group = G::Discord,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Token variable"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The environment variable that gives each process the "
                                   "token stored in the keychain.")},
    Key {.name = "discordApi",
         .member = &Profile::discordApi,
         .group = G::Discord,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Discord API"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "The base URL of Discord's HTTP API, used for "
                                   "maxShards auto and gateway information.")},
    Key {.name = "memoryWarn",
         .member = &Profile::memoryWarn,
         .group = G::Discord,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Memory warning"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Memory use per process above which it is shown in "
                                   "the warning colour (1 MB = 1,000,000 bytes)."),
         .minimum = 1,
         .step = 100},
    Key {.name = "memoryLimit",
         .member = &Profile::memoryLimit,
         .group = G::Discord,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Memory limit"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Memory use per process above which it is shown in "
                                   "the limit colour; LuaJIT cannot go much past 2 GB."),
         .step = 100},
    Key {.name = "memoryRestart",
         .member = &Profile::memoryRestart,
         .group = G::Discord,
         .label = QT_TRANSLATE_NOOP("ProfileKey", "Memory restart"),
         .help = QT_TRANSLATE_NOOP("ProfileKey",
                                   "Restart a process whose memory stays above the memory "
                                   "limit for 30 seconds."),
         .hint = QT_TRANSLATE_NOOP("ProfileKey", "Restart after 30 s over limit")},
};

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: return QString::number(value.toDouble());
    case QJsonValue::String: return u'"' + value.toString() + u'"';
    case QJsonValue::Array: return ProfileKey::tr("an array");
    case QJsonValue::Object: return ProfileKey::tr("an object");
    case QJsonValue::Undefined: break;
    }
    return ProfileKey::tr("nothing");
}

const Profile &defaults()
{
    static const Profile profile;
    return profile;
}

} // namespace

QString ProfileKey::labelText() const
{
    return tr(label);
}

QString ProfileKey::helpText() const
{
    return tr(help);
}

QString ProfileKey::hintText() const
{
    // A text without its own hint shows its default, the value an empty field would not give.
    if (hint)
        return tr(hint);
    const QJsonValue value = defaultValue();
    return value.isString() ? value.toString() : QString();
}

QJsonValue ProfileKey::value(const Profile &profile) const
{
    return std::visit(
        [&](auto field) -> QJsonValue {
            const auto &v = profile.*field;
            using T = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<T, QString>)
                return nullable && v.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
            else if constexpr (std::is_same_v<T, QStringList>)
                return QJsonArray::fromStringList(v);
            else if constexpr (std::is_same_v<T, int>)
                return automatic && profile.*automatic ? QJsonValue(u"auto"_s) : QJsonValue(v);
            else if constexpr (std::is_same_v<T, qint64>)
                return QJsonValue(double(v));
            else if constexpr (std::is_same_v<T, Profile::IpcAccept>)
                return QString::fromLatin1(choices[std::size_t(v)].value);
            else
                return QJsonValue(v);
        },
        member);
}

QJsonValue ProfileKey::defaultValue() const
{
    return value(defaults());
}

bool ProfileKey::setValue(Profile *profile, const QJsonValue &v, QString *error) const
{
    // The message says what was given, so the user sees the typo.
    const auto fail = [error](const QString &message, const QJsonValue &given) {
        *error = tr("%1 (got %2)").arg(message, describe(given));
        return false;
    };
    return std::visit(
        [&](auto field) -> bool {
            auto &out = profile->*field;
            using T = std::remove_cvref_t<decltype(out)>;
            if constexpr (std::is_same_v<T, QString>) {
                if (nullable && v.isNull())
                    out.clear();
                else if (v.isString())
                    out = v.toString();
                else
                    return fail(nullable ? tr("must be a string or null") : tr("must be a string"),
                                v);
            } else if constexpr (std::is_same_v<T, QStringList>) {
                if (!v.isArray())
                    return fail(tr("must be an array of strings"), v);
                QStringList list;
                const QJsonArray array = v.toArray();
                for (qsizetype i = 0; i < array.size(); ++i) {
                    const QJsonValue item = array.at(i);
                    // Numbers are accepted and passed on as text: argv is text anyway.
                    if (item.isString())
                        list << item.toString();
                    else if (item.isDouble())
                        list << QString::number(item.toDouble(), 'g', 17);
                    else
                        return fail(tr("item %1 must be a string").arg(i), item);
                }
                out = list;
            } else if constexpr (std::is_same_v<T, int>) {
                if (automatic && v == QJsonValue(u"auto"_s)) {
                    profile->*automatic = true;
                    return true;
                }
                const double d = v.toDouble(std::nan(""));
                if (!v.isDouble() || std::floor(d) != d || d < std::numeric_limits<int>::min()
                    || d > std::numeric_limits<int>::max())
                    return fail(tr("must be a whole number"), v);
                out = int(d);
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!v.isBool())
                    return fail(tr("must be true or false"), v);
                out = v.toBool();
            } else if constexpr (std::is_same_v<T, qint64>) {
                std::optional<qint64> bytes;
                if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() < 9e18)
                    bytes = qint64(v.toDouble());
                else if (v.isString())
                    bytes = parseByteSize(v.toString());
                if (!bytes)
                    return fail(tr("must be a size in bytes or text such as \"1.5GB\""), v);
                out = *bytes;
            } else {
                QStringList names;
                for (std::size_t i = 0; i < choices.size(); ++i) {
                    const QString choice = QString::fromLatin1(choices[i].value);
                    if (v == QJsonValue(choice)) {
                        out = T(i);
                        return true;
                    }
                    names << u'"' + choice + u'"';
                }
                return fail(tr("must be %1").arg(names.join(tr(" or "))), v);
            }
            return true;
        },
        member);
}

QString ProfileKey::checkBounds(const Profile &profile) const
{
    const auto number = [&](auto field) -> std::optional<qint64> {
        using T = std::remove_cvref_t<decltype(profile.*field)>;
        if constexpr (std::is_same_v<T, int> || std::is_same_v<T, qint64>)
            return profile.*field;
        else
            return std::nullopt;
    };
    const std::optional<qint64> value = std::visit(number, member);
    if (!value || (automatic && profile.*automatic) || (*value >= minimum && *value <= maximum))
        return QString();
    if (maximum != kNoMaximum)
        return automatic
            ? tr("must be from %1 to %2, or \"auto\" (got %3)")
                  .arg(minimum)
                  .arg(maximum)
                  .arg(*value)
            : tr("must be from %1 to %2 (got %3)").arg(minimum).arg(maximum).arg(*value);
    if (minimum == 0)
        return tr("must not be negative (got %1)").arg(*value);
    return unit == Unit::Milliseconds
        ? tr("must be at least %1 ms (got %2)").arg(minimum).arg(*value)
        : tr("must be at least %1 (got %2)").arg(minimum).arg(*value);
}

std::span<const ProfileKey> ProfileSchema::keys()
{
    return kKeys;
}

const ProfileKey *ProfileSchema::find(QStringView name)
{
    for (const ProfileKey &key : kKeys) {
        if (name == QLatin1StringView(key.name))
            return &key;
    }
    return nullptr;
}
