#include "engine/launchinfo.h"

#include "engine/shardplan.h"
#include "profile/profile.h"

#include <QJsonArray>
#include <QProcessEnvironment>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

} // namespace

QString LaunchInfo::commandLine() const
{
    QStringList words {shellQuoted(program)};
    for (const QString &argument : arguments)
        words << shellQuoted(argument);
    return words.join(u' ');
}

LaunchInfo LaunchInfo::describe(const Profile &profile, const ShardRange &range, int shardTotal,
                                bool hasToken)
{
    LaunchInfo info;
    info.program = profile.resolvedInterpreter();
    if (info.program.isEmpty())
        info.program = profile.interpreter;
    info.arguments = profile.childArguments(range, shardTotal);
    info.workingDirectory = profile.resolvedWorkingDirectory();
    // The same environment the child gets, built with placeholders for both secrets.
    const QProcessEnvironment env = profile.childEnvironment(range, shardTotal, u"[secret]"_s,
                                                             hasToken ? u"[token]"_s : QString());
    QStringList names {u"SHARDER_PORT"_s,        u"SHARDER_FIRST_SHARD"_s, u"SHARDER_LAST_SHARD"_s,
                       u"SHARDER_SHARD_COUNT"_s, u"SHARDER_PROCESS"_s,     u"SHARDER_IPC_TOKEN"_s,
                       profile.tokenEnv};
    for (const QString &name : std::as_const(names)) {
        if (env.contains(name))
            info.environment.append({name, env.value(name)});
    }
    return info;
}

QJsonObject LaunchInfo::toJson() const
{
    QJsonArray env; // [name, value] pairs: the order is DESIGN §1's
    for (const auto &[name, value] : environment)
        env.append(QJsonArray {name, value});
    return {{u"program"_s, program},
            {u"arguments"_s, QJsonArray::fromStringList(arguments)},
            {u"workingDirectory"_s, workingDirectory},
            {u"environment"_s, env}};
}

LaunchInfo LaunchInfo::fromJson(const QJsonObject &o)
{
    LaunchInfo info;
    info.program = o.value(u"program"_s).toString();
    for (const QJsonValue &a : o.value(u"arguments"_s).toArray())
        info.arguments << a.toString();
    info.workingDirectory = o.value(u"workingDirectory"_s).toString();
    for (const QJsonValue &pair : o.value(u"environment"_s).toArray())
        info.environment.append({pair[0].toString(), pair[1].toString()});
    return info;
}
