#include "profile/profile.h"

#include "profile/profilecheck.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

QString ProfileError::toString() const
{
    return key.isEmpty() ? message : key + u": "_s + message;
}

QStringList Profile::keys()
{
    return {u"file"_s, u"interpreter"_s, u"interpreterArgs"_s, u"workingDirectory"_s,
            u"port"_s, u"host"_s, u"maxShards"_s, u"shardsPerProcess"_s, u"waitTime"_s,
            u"arguments"_s, u"autoRestart"_s, u"silent"_s, u"logFile"_s, u"timestamp"_s,
            u"tokenEnv"_s, u"stopTimeout"_s, u"restartDelay"_s, u"restartDelayMax"_s,
            u"maxRestarts"_s, u"restartWindow"_s, u"ipcAccept"_s, u"discordApi"_s,
            u"memoryWarn"_s, u"memoryLimit"_s, u"memoryRestart"_s};
}

std::optional<qint64> parseByteSize(const QString &text)
{
    static const QRegularExpression re(u"^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)(i?)[bB]?\\s*$"_s);
    const auto match = re.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double base = match.captured(3).isEmpty() ? 1000.0 : 1024.0;
    const QChar unit = match.captured(2).isEmpty() ? QChar() : match.captured(2).at(0).toUpper();
    double factor = 1;
    if (unit == u'K')
        factor = base;
    else if (unit == u'M')
        factor = base * base;
    else if (unit == u'G')
        factor = base * base * base;
    const double value = match.captured(1).toDouble() * factor;
    if (value > double(std::numeric_limits<qint64>::max() / 2))
        return std::nullopt;
    return qint64(std::llround(value));
}

namespace {

constexpr int kMaxShards = Profile::kMaxShards;

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: return QString::number(value.toDouble());
    case QJsonValue::String: return u'"' + value.toString() + u'"';
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

// Reads typed values out of the profile's JSON object, collecting one error per bad key.
class Reader
{
public:
    Reader(const QJsonObject &object, QList<ProfileError> *errors)
        : m_object(object), m_errors(errors) {}

    void string(const QString &key, QString *out, bool nullable = false)
    {
        if (!m_object.contains(key))
            return;
        const QJsonValue v = m_object.value(key);
        if (nullable && v.isNull())
            out->clear();
        else if (v.isString())
            *out = v.toString();
        else
            fail(key, (nullable ? u"must be a string or null"_s : u"must be a string"_s), v);
    }

    void integer(const QString &key, int *out)
    {
        if (!m_object.contains(key))
            return;
        const QJsonValue v = m_object.value(key);
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || std::floor(d) != d || d < std::numeric_limits<int>::min()
            || d > std::numeric_limits<int>::max())
            fail(key, u"must be a whole number"_s, v);
        else
            *out = int(d);
    }

    void boolean(const QString &key, bool *out)
    {
        if (!m_object.contains(key))
            return;
        const QJsonValue v = m_object.value(key);
        if (v.isBool())
            *out = v.toBool();
        else
            fail(key, u"must be true or false"_s, v);
    }

    void stringList(const QString &key, QStringList *out)
    {
        if (!m_object.contains(key))
            return;
        const QJsonValue v = m_object.value(key);
        if (v.isArray()) {
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
                    return fail(key, u"item %1 must be a string"_s.arg(i), item);
            }
            *out = list;
        } else {
            fail(key, u"must be an array of strings"_s, v);
        }
    }

    void byteSize(const QString &key, qint64 *out)
    {
        if (!m_object.contains(key))
            return;
        const QJsonValue v = m_object.value(key);
        std::optional<qint64> bytes;
        if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() < 9e18)
            bytes = qint64(v.toDouble());
        else if (v.isString())
            bytes = parseByteSize(v.toString());
        if (bytes)
            *out = *bytes;
        else
            fail(key, u"must be a size in bytes or text such as \"1.5GB\""_s, v);
    }

    void fail(const QString &key, const QString &message, const QJsonValue &v)
    {
        m_errors->append({key, message + u" (got "_s + describe(v) + u')'});
    }

    const QJsonObject &object() const { return m_object; }

private:
    QJsonObject m_object;
    QList<ProfileError> *m_errors;
};

} // namespace

Profile Profile::fromJson(const QByteArray &json, const QString &baseDirectory,
                          QList<ProfileError> *errors)
{
    Profile p;
    p.baseDirectory = baseDirectory;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report a line and column rather than a byte offset: that is what an editor shows.
        // Qt's offset points just past the character it stumbled on (trailing garbage aside).
        const qsizetype at = parseError.error == QJsonParseError::GarbageAtEnd
                                 ? parseError.offset
                                 : std::max(parseError.offset - 1, 0);
        const QByteArray before = json.left(at);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = at - (before.lastIndexOf('\n') + 1) + 1;
        errors->append({QString(), u"not valid JSON at line %1, column %2: %3"_s
                                        .arg(line).arg(column).arg(parseError.errorString())});
        return p;
    }
    if (!doc.isObject()) {
        errors->append({QString(), u"a profile must be a JSON object"_s});
        return p;
    }

    const QJsonObject object = doc.object();
    const QStringList known = keys();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            errors->append({it.key(), u"unknown key"_s});
    }

    Reader r(object, errors);
    if (!object.contains(u"file"_s))
        errors->append({u"file"_s, u"required: the bot file to run"_s});
    r.string(u"file"_s, &p.file);
    r.string(u"interpreter"_s, &p.interpreter);
    r.stringList(u"interpreterArgs"_s, &p.interpreterArgs);
    r.string(u"workingDirectory"_s, &p.workingDirectory, true);
    r.integer(u"port"_s, &p.port);
    r.string(u"host"_s, &p.host);
    if (object.value(u"maxShards"_s) == QJsonValue(u"auto"_s))
        p.maxShardsAuto = true;
    else
        r.integer(u"maxShards"_s, &p.maxShards);
    r.integer(u"shardsPerProcess"_s, &p.shardsPerProcess);
    r.integer(u"waitTime"_s, &p.waitTime);
    r.stringList(u"arguments"_s, &p.arguments);
    r.boolean(u"autoRestart"_s, &p.autoRestart);
    r.boolean(u"silent"_s, &p.silent);
    r.string(u"logFile"_s, &p.logFile, true);
    r.string(u"timestamp"_s, &p.timestamp);
    r.string(u"tokenEnv"_s, &p.tokenEnv);
    r.integer(u"stopTimeout"_s, &p.stopTimeout);
    r.integer(u"restartDelay"_s, &p.restartDelay);
    r.integer(u"restartDelayMax"_s, &p.restartDelayMax);
    r.integer(u"maxRestarts"_s, &p.maxRestarts);
    r.integer(u"restartWindow"_s, &p.restartWindow);
    if (object.contains(u"ipcAccept"_s)) {
        const QJsonValue v = object.value(u"ipcAccept"_s);
        if (v == QJsonValue(u"children"_s))
            p.ipcAccept = IpcAccept::Children;
        else if (v == QJsonValue(u"any"_s))
            p.ipcAccept = IpcAccept::Any;
        else
            r.fail(u"ipcAccept"_s, u"must be \"children\" or \"any\""_s, v);
    }
    r.string(u"discordApi"_s, &p.discordApi);
    r.byteSize(u"memoryWarn"_s, &p.memoryWarn);
    r.byteSize(u"memoryLimit"_s, &p.memoryLimit);
    r.boolean(u"memoryRestart"_s, &p.memoryRestart);
    return p;
}

Profile Profile::fromFile(const QString &path, QList<ProfileError> *errors)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        errors->append({QString(), u"cannot open %1: %2"_s.arg(path, f.errorString())});
        Profile p;
        p.baseDirectory = QFileInfo(path).absolutePath();
        return p;
    }
    return fromJson(f.readAll(), QFileInfo(path).absolutePath(), errors);
}

QJsonObject Profile::toJson() const
{
    const Profile defaults;
    QJsonObject o;
    // Always written: the keys a reader needs to understand the profile at a glance.
    o[u"file"_s] = file;
    o[u"interpreter"_s] = interpreter;
    o[u"maxShards"_s] = maxShardsAuto ? QJsonValue(u"auto"_s) : QJsonValue(maxShards);
    o[u"shardsPerProcess"_s] = shardsPerProcess;
    o[u"port"_s] = port;
    // Written only when changed, so a saved profile stays short and follows new defaults.
    auto put = [&](const QString &key, auto value, auto defaultValue) {
        if (value != defaultValue)
            o[key] = value;
    };
    put(u"interpreterArgs"_s, QJsonArray::fromStringList(interpreterArgs), QJsonArray());
    if (!workingDirectory.isEmpty())
        o[u"workingDirectory"_s] = workingDirectory;
    put(u"host"_s, host, defaults.host);
    put(u"waitTime"_s, waitTime, defaults.waitTime);
    put(u"arguments"_s, QJsonArray::fromStringList(arguments), QJsonArray());
    put(u"autoRestart"_s, autoRestart, defaults.autoRestart);
    put(u"silent"_s, silent, defaults.silent);
    if (!logFile.isEmpty())
        o[u"logFile"_s] = logFile;
    put(u"timestamp"_s, timestamp, defaults.timestamp);
    put(u"tokenEnv"_s, tokenEnv, defaults.tokenEnv);
    put(u"stopTimeout"_s, stopTimeout, defaults.stopTimeout);
    put(u"restartDelay"_s, restartDelay, defaults.restartDelay);
    put(u"restartDelayMax"_s, restartDelayMax, defaults.restartDelayMax);
    put(u"maxRestarts"_s, maxRestarts, defaults.maxRestarts);
    put(u"restartWindow"_s, restartWindow, defaults.restartWindow);
    if (ipcAccept != defaults.ipcAccept)
        o[u"ipcAccept"_s] = u"any"_s;
    put(u"discordApi"_s, discordApi, defaults.discordApi);
    put(u"memoryWarn"_s, double(memoryWarn), double(defaults.memoryWarn));
    put(u"memoryLimit"_s, double(memoryLimit), double(defaults.memoryLimit));
    put(u"memoryRestart"_s, memoryRestart, defaults.memoryRestart);
    return o;
}

bool Profile::save(const QString &path, QString *error) const
{
    // QSaveFile: a crash or a full disk mid-write never leaves a half-written profile behind.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented)) < 0 || !f.commit()) {
        if (error)
            *error = u"cannot save %1: %2"_s.arg(path, f.errorString());
        return false;
    }
    return true;
}

QString Profile::resolvePath(const QString &path) const
{
    if (path.isEmpty())
        return QString();
    QString expanded = path;
    if (expanded == u"~"_s || expanded.startsWith(u"~/"_s))
        expanded.replace(0, 1, QDir::homePath());
    return QDir::cleanPath(QDir(baseDirectory.isEmpty() ? QDir::currentPath() : baseDirectory)
                               .absoluteFilePath(expanded));
}

QString Profile::resolvedFile() const
{
    return resolvePath(file);
}

QString Profile::resolvedWorkingDirectory() const
{
    if (!workingDirectory.isEmpty())
        return resolvePath(workingDirectory);
    return QFileInfo(resolvedFile()).absolutePath();
}

QString Profile::resolvedLogFile() const
{
    return resolvePath(logFile);
}

QStringList Profile::childArguments(const ShardRange &range, int shardTotal) const
{
    QStringList list = interpreterArgs;
    list << resolvedFile() << QString::number(port) << QString::number(range.first)
         << QString::number(range.last) << QString::number(shardTotal);
    list << arguments;
    return list;
}

QProcessEnvironment Profile::childEnvironment(const ShardRange &range, int shardTotal,
                                              const QString &ipcToken, const QString &token) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A token the manager itself was started with must not leak to children under another name.
    env.remove(tokenEnv);
    env.insert(u"SHARDER_PORT"_s, QString::number(port));
    env.insert(u"SHARDER_FIRST_SHARD"_s, QString::number(range.first));
    env.insert(u"SHARDER_LAST_SHARD"_s, QString::number(range.last));
    env.insert(u"SHARDER_SHARD_COUNT"_s, QString::number(shardTotal));
    env.insert(u"SHARDER_PROCESS"_s, QString::number(range.process));
    if (!ipcToken.isEmpty())
        env.insert(u"SHARDER_IPC_TOKEN"_s, ipcToken);
    if (!token.isEmpty())
        env.insert(tokenEnv, token);
    return env;
}

QString Profile::resolvedInterpreter() const
{
    if (interpreter.contains(u'/')) {
        const QString path = resolvePath(interpreter);
        const QFileInfo info(path);
        return info.isFile() && info.isExecutable() ? path : QString();
    }
    if (interpreter.isEmpty())
        return QString();
    // Beside our own executable first: that is where the bundled demo bot lives.
    const QString appDir = QCoreApplication::instance() ? QCoreApplication::applicationDirPath()
                                                        : QString();
    if (!appDir.isEmpty()) {
        const QString beside = QStandardPaths::findExecutable(interpreter, {appDir});
        if (!beside.isEmpty())
            return beside;
    }
    return QStandardPaths::findExecutable(interpreter);
}

QList<ProfileError> Profile::validate() const
{
    QList<ProfileError> errors;
    auto check = [&errors](bool ok, const QString &key, const QString &message) {
        if (!ok)
            errors.append({key, message});
    };

    if (file.isEmpty()) {
        errors.append({u"file"_s, u"required: the bot file to run"_s});
    } else {
        const QFileInfo info(resolvedFile());
        check(info.exists(), u"file"_s, u"%1 does not exist"_s.arg(info.filePath()));
        check(!info.exists() || info.isFile(), u"file"_s, u"%1 is not a file"_s.arg(info.filePath()));
    }
    if (interpreter.isEmpty())
        errors.append({u"interpreter"_s, u"required: the program that runs the bot file"_s});
    else
        check(!resolvedInterpreter().isEmpty(), u"interpreter"_s,
              interpreter.contains(u'/') ? u"%1 is not an executable file"_s.arg(resolvePath(interpreter))
                                         : u"\"%1\" was not found in PATH"_s.arg(interpreter));
    if (!workingDirectory.isEmpty())
        check(QFileInfo(resolvedWorkingDirectory()).isDir(), u"workingDirectory"_s,
              u"%1 is not a folder"_s.arg(resolvedWorkingDirectory()));
    check(port >= 1 && port <= 65535, u"port"_s,
          u"must be from 1 to 65535 (got %1)"_s.arg(port));
    check(host == u"localhost"_s || !QHostAddress(host).isNull(), u"host"_s,
          u"must be an IP address such as 127.0.0.1 (got \"%1\")"_s.arg(host));
    if (!maxShardsAuto)
        check(maxShards >= 1 && maxShards <= kMaxShards, u"maxShards"_s,
              u"must be from 1 to %1, or \"auto\" (got %2)"_s.arg(kMaxShards).arg(maxShards));
    check(shardsPerProcess >= 1, u"shardsPerProcess"_s,
          u"must be at least 1 (got %1)"_s.arg(shardsPerProcess));
    if (!maxShardsAuto && maxShards >= 1 && shardsPerProcess >= 1)
        check(shardsPerProcess <= maxShards, u"shardsPerProcess"_s,
              u"must not exceed maxShards (%1 > %2)"_s.arg(shardsPerProcess).arg(maxShards));
    check(waitTime >= 0, u"waitTime"_s, u"must not be negative (got %1)"_s.arg(waitTime));
    check(!timestamp.isEmpty() && timestamp != u"!"_s, u"timestamp"_s,
          u"must not be empty; the default is !%Y-%m-%dT%H:%M:%S"_s);
    static const QRegularExpression envName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    check(envName.match(tokenEnv).hasMatch() && !tokenEnv.startsWith(u"SHARDER_"_s), u"tokenEnv"_s,
          u"must be an environment variable name such as DISCORD_TOKEN, not starting with SHARDER_ (got \"%1\")"_s
              .arg(tokenEnv));
    check(stopTimeout >= 0, u"stopTimeout"_s, u"must not be negative (got %1)"_s.arg(stopTimeout));
    check(restartDelay >= 0, u"restartDelay"_s, u"must not be negative (got %1)"_s.arg(restartDelay));
    check(restartDelayMax >= restartDelay, u"restartDelayMax"_s,
          u"must be at least restartDelay (%1 < %2)"_s.arg(restartDelayMax).arg(restartDelay));
    check(maxRestarts >= 0, u"maxRestarts"_s, u"must not be negative (got %1)"_s.arg(maxRestarts));
    check(restartWindow >= 1, u"restartWindow"_s,
          u"must be at least 1 ms (got %1)"_s.arg(restartWindow));
    const QUrl api(discordApi);
    const bool loopback = api.host() == u"localhost"_s || QHostAddress(api.host()).isLoopback();
    check(api.isValid() && (api.scheme() == u"https"_s || (api.scheme() == u"http"_s && loopback))
              && !api.host().isEmpty(),
          u"discordApi"_s,
          u"must be an https URL, or http on this machine only: the token travels with each request (got \"%1\")"_s
              .arg(discordApi));
    check(memoryWarn > 0, u"memoryWarn"_s, u"must be more than 0"_s);
    check(memoryLimit >= memoryWarn, u"memoryLimit"_s, u"must be at least memoryWarn"_s);
    // What this machine must allow for the run to start, checked now rather than at the start.
    ProfileCheck::logFile(*this, &errors);
    ProfileCheck::commandLine(*this, &errors);
    ProfileCheck::timestamp(*this, &errors);
    return errors;
}
