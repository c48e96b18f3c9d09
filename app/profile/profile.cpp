#include "profile/profile.h"

#include "profile/profilecheck.h"
#include "profile/profileschema.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

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
    QStringList names;
    for (const ProfileKey &key : ProfileSchema::keys())
        names << QString::fromLatin1(key.name);
    return names;
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
        errors->append({QString(),
                        tr("not valid JSON at line %1, column %2: %3")
                            .arg(line)
                            .arg(column)
                            .arg(parseError.errorString())});
        return p;
    }
    if (!doc.isObject()) {
        errors->append({QString(), tr("a profile must be a JSON object")});
        return p;
    }

    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        // A key with no name would print as no key at all: say what it is.
        if (it.key().isEmpty())
            errors->append({QString(), tr("unknown key \"\" (a key with an empty name)")});
        else if (!ProfileSchema::find(it.key()))
            errors->append({it.key(), tr("unknown key")});
    }
    if (!object.contains(u"file"_s))
        errors->append({u"file"_s, tr("required: the bot file to run")});
    for (const ProfileKey &key : ProfileSchema::keys()) {
        const QString name = QString::fromLatin1(key.name);
        QString error;
        if (object.contains(name) && !key.setValue(&p, object.value(name), &error))
            errors->append({name, error});
    }
    return p;
}

Profile Profile::fromFile(const QString &path, QList<ProfileError> *errors)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        errors->append({QString(), tr("cannot open %1: %2").arg(path, f.errorString())});
        Profile p;
        p.baseDirectory = QFileInfo(path).absolutePath();
        return p;
    }
    return fromJson(f.readAll(), QFileInfo(path).absolutePath(), errors);
}

QJsonObject Profile::toJson() const
{
    QJsonObject o;
    // A key at its default is left out (so a saved profile stays short and follows new
    // defaults), except those a reader needs to understand the profile at a glance.
    for (const ProfileKey &key : ProfileSchema::keys()) {
        const QJsonValue value = key.value(*this);
        if (key.alwaysSaved || value != key.defaultValue())
            o.insert(QString::fromLatin1(key.name), value);
    }
    return o;
}

bool Profile::save(const QString &path, QString *error) const
{
    // QSaveFile: a crash or a full disk mid-write never leaves a half-written profile behind.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented)) < 0 || !f.commit()) {
        if (error)
            *error = tr("cannot save %1: %2").arg(path, f.errorString());
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
    const QString appDir
        = QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString();
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
    for (const ProfileKey &key : ProfileSchema::keys()) {
        const QString problem = key.checkBounds(*this);
        if (!problem.isEmpty())
            errors.append({QString::fromLatin1(key.name), problem});
    }
    // What bounds cannot say: files, names, addresses, keys that depend on each other.
    ProfileCheck::values(*this, &errors);
    // What this machine must allow for the run to start, checked now rather than at the start.
    ProfileCheck::logFile(*this, &errors);
    ProfileCheck::commandLine(*this, &errors);
    ProfileCheck::timestamp(*this, &errors);
    return errors;
}
