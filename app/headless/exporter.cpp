#include "headless/exporter.h"

#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(Exporter)
};

void printErr(const QString &text)
{
    const QByteArray bytes = (text + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

// A usage error, as main.cpp says them: exit status 64 (EX_USAGE).
int usageError(const QString &text)
{
    printErr(u"shard-manager: "_s + text);
    return 64;
}

const QStringList &ownOptions()
{
    static const QStringList names {u"replicas"_s, u"image"_s, u"namespace"_s};
    return names;
}

// The keys whose paths name files in the image (or on each host), not on this machine: their
// existence here says nothing, so their checks are left to the service where it runs.
bool isPathKey(const QString &key)
{
    return key == u"file"_s || key == u"interpreter"_s || key == u"workingDirectory"_s
        || key == u"logFile"_s;
}

// Every problem of the profile that does not depend on this machine, as --check lists them.
QList<ProfileError> problems(const Profile &profile, QList<ProfileError> errors)
{
    const bool readable = std::all_of(errors.cbegin(), errors.cend(),
                                      [](const ProfileError &e) { return !e.key.isEmpty(); });
    if (!readable)
        return errors;
    for (const ProfileError &problem : profile.validate()) {
        const bool reported = std::any_of(errors.cbegin(), errors.cend(), [&](const auto &e) {
            return !problem.key.isEmpty() && e.key == problem.key;
        });
        if (!reported && !isPathKey(problem.key))
            errors.append(problem);
    }
    // What the path checks said besides the files: a path must be given.
    if (profile.interpreter.isEmpty())
        errors.append({u"interpreter"_s, Text::tr("required: the program that runs the bot file")});
    if (profile.file.isEmpty()
        && std::none_of(errors.cbegin(), errors.cend(),
                        [](const ProfileError &e) { return e.key == u"file"_s; }))
        errors.append({u"file"_s, Text::tr("required: the bot file to run")});
    return errors;
}

bool isRelativePath(const QString &path)
{
    return !path.isEmpty() && !path.startsWith(u'/') && path != u"~"_s && !path.startsWith(u"~/"_s);
}

} // namespace

namespace Exporter {

QString Export::sliceText(int i) const
{
    const int begin = sliceBegin(i);
    const int end = sliceEnd(i);
    return u"processes %1 to %2 (shards %3 to %4)"_s.arg(begin)
        .arg(end - 1)
        .arg(plan.at(begin).first)
        .arg(plan.at(end - 1).last);
}

bool requested(const QCommandLineParser &parser)
{
    return parser.isSet(u"export"_s)
        || std::any_of(ownOptions().cbegin(), ownOptions().cend(),
                       [&](const QString &name) { return parser.isSet(name); });
}

QString dnsLabel(const QString &name)
{
    QString label;
    for (const QChar c : name.toLower()) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (allowed)
            label += c;
        else if (!label.endsWith(u'-'))
            label += u'-';
    }
    // A Service's name must start with a letter (DNS-1035); "2024-bot" becomes "bot-2024-bot".
    if (label.isEmpty() || !label.at(0).isLetter())
        label.prepend(u"bot-"_s);
    // Pods are NAME-ORDINAL, revisions NAME-HASH (11 characters): 52 keeps those under 63.
    label.truncate(52);
    while (label.endsWith(u'-'))
        label.chop(1);
    return label;
}

QJsonObject podProfile(const QJsonObject &profile, QStringList *moved)
{
    QJsonObject pod = profile;
    const auto move = [&](const QString &key, const QString &to) {
        moved->append(u"%1: %2 -> %3"_s.arg(key, profile.value(key).toString(), to));
        pod.insert(key, to);
    };
    for (const QString &key : {u"file"_s, u"workingDirectory"_s, u"interpreter"_s}) {
        const QString path = profile.value(key).toString();
        // A bare interpreter name is looked up in PATH, in the image as here.
        if (key == u"interpreter"_s && !path.contains(u'/'))
            continue;
        if (isRelativePath(path))
            move(key, QDir::cleanPath(QString::fromLatin1(kPodBotDir) + u'/' + path));
    }
    const QString log = profile.value(u"logFile"_s).toString();
    if (!log.isEmpty()) {
        const QString to = QString::fromLatin1(kPodLogDir) + u'/' + QFileInfo(log).fileName();
        if (to != log)
            move(u"logFile"_s, to);
    }
    return pod;
}

int run(const QCommandLineParser &parser)
{
    if (!parser.isSet(u"export"_s)) {
        for (const QString &name : ownOptions()) {
            if (parser.isSet(name))
                return usageError(Text::tr("--%1 is for --export").arg(name));
        }
    }
    const QString kind = parser.value(u"export"_s);
    if (kind != u"kubernetes"_s && kind != u"systemd"_s)
        return usageError(
            Text::tr("--export takes \"kubernetes\" or \"systemd\" (got \"%1\")").arg(kind));
    for (const QString &mode : {u"headless"_s, u"check"_s, u"status"_s, u"control"_s}) {
        if (parser.isSet(mode))
            return usageError(Text::tr("--export and --%1: give one of them").arg(mode));
    }
    for (const QString &name : parser.optionNames()) {
        if (CommandLine::isWindowOption(name))
            return usageError(Text::tr("--%1 is for the window, not with --export").arg(name));
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(Text::tr("--export takes one PROFILE (see --help)"));
    if (!parser.isSet(u"replicas"_s))
        return usageError(Text::tr("--export needs --replicas N: how many %1 share the plan")
                              .arg(kind == u"kubernetes"_s ? Text::tr("pods") : Text::tr("hosts")));
    bool ok = false;
    const int replicas = parser.value(u"replicas"_s).toInt(&ok);
    if (!ok || replicas < 1)
        return usageError(Text::tr("--replicas takes a whole number from 1 (got \"%1\")")
                              .arg(parser.value(u"replicas"_s)));
    if (kind == u"systemd"_s) {
        for (const QString &name : {u"image"_s, u"namespace"_s}) {
            if (parser.isSet(name))
                return usageError(Text::tr("--%1 is for --export kubernetes").arg(name));
        }
    }
    const QString ns = parser.value(u"namespace"_s);
    static const QRegularExpression label(u"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"_s);
    if (parser.isSet(u"namespace"_s) && !label.match(ns).hasMatch())
        return usageError(Text::tr("--namespace takes a DNS-1123 label: lower-case letters, "
                                   "digits and '-', at most 63 (got \"%1\")")
                              .arg(ns));
    if (parser.isSet(u"image"_s) && parser.value(u"image"_s).trimmed().isEmpty())
        return usageError(Text::tr("--image takes an IMAGE such as registry.example/mybot:1.0"));

    const QString path = positional.first();
    QList<ProfileError> errors;
    Export e;
    e.profile = Profile::fromFile(path, &errors);
    errors = problems(e.profile, errors);
    if (!errors.isEmpty()) {
        printErr(Text::tr("shard-manager: %1 cannot be exported:").arg(path));
        for (const ProfileError &error : std::as_const(errors))
            printErr(path + u": "_s + error.toString());
        return 2;
    }
    QFile file(path);
    const QJsonObject raw = file.open(QIODevice::ReadOnly)
        ? QJsonDocument::fromJson(file.readAll()).object()
        : QJsonObject();
    e.profilePath = QFileInfo(path).absoluteFilePath();
    e.name = dnsLabel(QFileInfo(path).completeBaseName());
    e.podProfile = podProfile(raw, &e.moved);
    e.memoryLimitGiven = raw.contains(u"memoryLimit"_s);
    if (!e.profile.maxShardsAuto)
        e.plan = ShardPlan::compute(e.profile.maxShards, e.profile.shardsPerProcess,
                                    e.profile.waitTime);
    if (!e.plan.isEmpty() && replicas > e.plan.size())
        return usageError(Text::tr("--replicas %1 is more than the %2 processes of the plan: a "
                                   "%3 would have no process to run")
                              .arg(replicas)
                              .arg(e.plan.size())
                              .arg(kind == u"kubernetes"_s ? Text::tr("pod") : Text::tr("host")));
    e.replicas = replicas;
    e.image = parser.isSet(u"image"_s)
        ? parser.value(u"image"_s).trimmed()
        : u"shard-manager:"_s + QCoreApplication::applicationVersion();
    e.ns = ns;

    const QByteArray text = (kind == u"kubernetes"_s ? kubernetes(e) : systemd(e)).toUtf8();
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

} // namespace Exporter
