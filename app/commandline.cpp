#include "commandline.h"

#include "engine/shardengine.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};
} // namespace

void CommandLine::describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(Text::tr(
        "Runs a Discord bot as several processes, each owning a range of gateway shards.\n"
        "Without --headless or --check it opens the window on PROFILE (or the last profile)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(
        {u"start"_s, Text::tr("With the window: start all processes once the profile is open.")});
    parser.addOption({u"attach"_s,
                      Text::tr("With the window: attach to the service of a profile on another "
                               "machine through your own ssh, ADDRESS being "
                               "ssh://[user@]host[:port]/path/to/profile.json."),
                      u"address"_s});
    parser.addOption({u"attach-command"_s,
                      Text::tr("With the window: attach through COMMAND, which runs "
                               "shard-manager --control PROFILE where the service is (kubectl "
                               "exec -i POD -- …, docker exec -i …)."),
                      u"command"_s});
    parser.addOption(
        {u"headless"_s,
         Text::tr("Run PROFILE without a window until SIGTERM, SIGINT, SIGHUP or SIGQUIT.")});
    parser.addOption({u"check"_s, Text::tr("Validate PROFILE and print its shard plan.")});
    parser.addOption({u"status"_s,
                      Text::tr("Print the service running PROFILE and its processes; exit code 3 "
                               "when none runs.")});
    parser.addOption({u"ready"_s,
                      Text::tr("With --status: exit 0 only when every shard of the service's "
                               "processes is ready (a readiness probe), 1 while any is not.")});
    parser.addOption({u"control"_s,
                      Text::tr("Relay stdin and stdout to the control socket of the service "
                               "running PROFILE (what a remote window runs over ssh); exit code 3 "
                               "when none runs.")});
    parser.addOption({u"events"_s,
                      Text::tr("With --headless: print engine events on stdout as FORMAT (json)."),
                      u"format"_s});
    parser.addOption(
        {u"no-echo"_s,
         Text::tr("With --headless: do not echo the processes' output on stdout (the log file and "
                  "the control socket still get every line).")});
    parser.addOption(
        {u"token-from-env"_s,
         Text::tr("With --headless: take the bot token from the environment variable VAR "
                  "instead of the keychain (servers without a keychain)."),
         u"VAR"_s});
    parser.addOption({u"token-file"_s,
                      Text::tr("With --headless: read the bot token from FILE; a relative FILE is "
                               "looked up in $CREDENTIALS_DIRECTORY first (systemd's "
                               "LoadCredential=)."),
                      u"FILE"_s});
    parser.addOption({u"cluster-index"_s,
                      Text::tr("With --headless or --check: run slice INDEX (from 0) of the plan, "
                               "or \"auto\": the number ending the host name (a StatefulSet "
                               "pod's). Also SHARD_MANAGER_CLUSTER_INDEX."),
                      u"index"_s});
    parser.addOption({u"cluster-size"_s,
                      Text::tr("With --cluster-index: the plan is cut into COUNT slices, one per "
                               "machine or pod. Also SHARD_MANAGER_CLUSTER_SIZE."),
                      u"count"_s});
    parser.addOption(
        {u"metrics"_s,
         Text::tr("With --headless: serve Prometheus metrics at http://ADDRESS/metrics, ADDRESS "
                  "being HOST:PORT or PORT (on 127.0.0.1)."),
         u"address"_s});
    parser.addOption({u"export"_s,
                      Text::tr("Print what runs PROFILE as --replicas slices: KIND kubernetes "
                               "(YAML for kubectl apply) or systemd (a unit drop-in and commands "
                               "per host)."),
                      u"kind"_s});
    parser.addOption(
        {u"replicas"_s, Text::tr("With --export: the number of pods or hosts (N)."), u"N"_s});
    parser.addOption({u"image"_s,
                      Text::tr("With --export kubernetes: the container image (default "
                               "shard-manager:VERSION)."),
                      u"image"_s});
    parser.addOption({u"namespace"_s,
                      Text::tr("With --export kubernetes: the namespace of every object."),
                      u"NS"_s});
    const QString statsDefault = QString::number(EngineDefaults::kStatsIntervalMs / 1000);
    parser.addOption(
        {u"stats-interval"_s,
         Text::tr("With --events json: write a stats event per process every SECONDS (default %1).")
             .arg(statsDefault),
         u"seconds"_s, statsDefault});
    parser.addPositionalArgument(u"profile"_s, Text::tr("The profile (JSON) to open or run."),
                                 u"[PROFILE]"_s);
}

bool CommandLine::isWindowOption(const QString &name)
{
    return name == u"start"_s || name == u"attach"_s || name == u"attach-command"_s;
}

QStringList CommandLine::withoutQtOptions(const QStringList &arguments)
{
    // The options QGuiApplication and QApplication take themselves (their manual pages); the
    // window hands argv to Qt, so these are the window's too.
    static const QStringList withValue = {u"platform"_s,        u"platformpluginpath"_s,
                                          u"platformtheme"_s,   u"plugin"_s,
                                          u"qwindowgeometry"_s, u"qwindowtitle"_s,
                                          u"qwindowicon"_s,     u"display"_s,
                                          u"geometry"_s,        u"style"_s,
                                          u"stylesheet"_s,      u"session"_s};
    static const QStringList flags
        = {u"reverse"_s, u"widgetcount"_s, u"nograb"_s, u"dograb"_s, u"sync"_s};
    QStringList kept;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (i == 0 || !argument.startsWith(u'-') || argument == u"--"_s) {
            kept.append(argument);
            continue;
        }
        QString name = argument.mid(argument.startsWith(u"--"_s) ? 2 : 1);
        const bool valueAttached = name.contains(u'=');
        name = name.section(u'=', 0, 0);
        if (flags.contains(name))
            continue;
        if (withValue.contains(name)) {
            if (!valueAttached)
                ++i; // the value is the next argument
            continue;
        }
        kept.append(argument);
    }
    return kept;
}

std::optional<CommandLine::WindowRequest> CommandLine::windowRequest(const QStringList &arguments)
{
    QCommandLineParser parser;
    describe(parser);
    if (!parser.parse(withoutQtOptions(arguments)))
        return std::nullopt;
    const QStringList given = parser.optionNames();
    if (!std::all_of(given.cbegin(), given.cend(), isWindowOption))
        return std::nullopt;
    const QStringList positional = parser.positionalArguments();
    return WindowRequest {positional.value(0), parser.isSet(u"start"_s), parser.value(u"attach"_s),
                          parser.value(u"attach-command"_s)};
}
