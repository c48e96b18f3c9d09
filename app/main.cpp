// shard-manager: the window by default; --headless, --check, --version and --help without one.

#include "commandline.h"
#include "gui.h"
#include "headless/clusteroptions.h"
#include "headless/controlbridge.h"
#include "headless/exporter.h"
#include "headless/headlessrunner.h"
#include "headless/servicestatus.h"
#include "platform/guardian.h"
#include "platform/signalwatcher.h"
#include "text/translations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSysInfo>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// The guardian role (see ProcessGuardian): this same executable with this one argument.
constexpr char kGuardianRole[] = "--guardian";

// Asked once the application exists, which knows where this executable lies.
GuardianCommand guardianCommand()
{
    return {QCoreApplication::applicationFilePath(), {QString::fromLatin1(kGuardianRole)}};
}

// The host name a StatefulSet gives its pod (HOSTNAME), else the machine's.
QString hostName()
{
    const QString fromEnvironment = qEnvironmentVariable("HOSTNAME");
    return fromEnvironment.isEmpty() ? QSysInfo::machineHostName() : fromEnvironment;
}

// A usage error: said on stderr, exit code 64 (EX_USAGE), as the manual page says.
int usageError(const QString &text)
{
    const QByteArray bytes = (u"shard-manager: "_s + text + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    return 64;
}

// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(main)
};

int runConsole(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"shard-manager"_s);
    QCoreApplication::setOrganizationName(u"shard-manager"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SHARDMANAGER_VERSION));
    Translations::install(app);
    QCommandLineParser parser;
    CommandLine::describe(parser);
    parser.process(app);
    // --export prints manifests and starts nothing; it checks its own options.
    if (Exporter::requested(parser))
        return Exporter::run(parser);

    const QStringList positional = parser.positionalArguments();
    const bool headless = parser.isSet(u"headless"_s);
    const bool check = parser.isSet(u"check"_s);
    const bool status = parser.isSet(u"status"_s);
    const bool control = parser.isSet(u"control"_s);
    if (positional.size() != 1 || int(headless) + int(check) + int(status) + int(control) != 1)
        return usageError(Text::tr("give one PROFILE with one of --headless, --check, --status or "
                                   "--control (see --help)"));
    const QString mode = headless ? u"headless"_s
        : check                   ? u"check"_s
        : status                  ? u"status"_s
                                  : u"control"_s;
    for (const QString &name : parser.optionNames()) {
        if (CommandLine::isWindowOption(name))
            return usageError(Text::tr("--%1 is for the window, not with --%2").arg(name, mode));
    }
    if (parser.isSet(u"ready"_s) && !status)
        return usageError(Text::tr("--ready goes with --status"));
    if (status)
        return printServiceStatus(positional.first(), parser.isSet(u"ready"_s));
    // The slice of the plan this service runs: the options, else the environment (a pod's).
    const auto clusterValue = [&parser](const QString &option, const char *variable) {
        return parser.isSet(option) ? parser.value(option) : qEnvironmentVariable(variable);
    };
    QString sliceError;
    const std::optional<ClusterSlice> slice = ClusterOptions::resolve(
        clusterValue(u"cluster-index"_s, "SHARD_MANAGER_CLUSTER_INDEX"),
        clusterValue(u"cluster-size"_s, "SHARD_MANAGER_CLUSTER_SIZE"), hostName(), &sliceError);
    if (!slice && (headless || check))
        return usageError(sliceError);
    if (check)
        return checkProfile(positional.first(), *slice);
    if (control) {
        ControlBridge bridge(positional.first());
        QObject::connect(&bridge, &ControlBridge::finished, &app,
                         [](int code) { QCoreApplication::exit(code); });
        if (const int code = bridge.start())
            return code;
        return app.exec();
    }

    HeadlessRunner::Options options;
    options.profilePath = positional.first();
    if (parser.isSet(u"events"_s)) {
        if (parser.value(u"events"_s) != u"json"_s)
            return usageError(Text::tr("--events takes \"json\""));
        options.jsonEvents = true;
    }
    options.tokenVariable = parser.value(u"token-from-env"_s);
    options.echo = !parser.isSet(u"no-echo"_s);
    options.tokenFile = parser.value(u"token-file"_s);
    if (parser.isSet(u"token-file"_s) && parser.isSet(u"token-from-env"_s))
        return usageError(Text::tr("--token-file and --token-from-env: give one of them"));
    if (parser.isSet(u"token-file"_s) && options.tokenFile.isEmpty())
        return usageError(Text::tr("--token-file takes a FILE"));
    bool ok = false;
    const double statsSeconds = parser.value(u"stats-interval"_s).toDouble(&ok);
    if (!ok || statsSeconds < 0.1 || statsSeconds > 86400)
        return usageError(Text::tr("--stats-interval takes seconds from 0.1 to 86400"));
    options.statsIntervalMs = int(statsSeconds * 1000);
    options.metricsAddress = parser.value(u"metrics"_s);
    options.slice = *slice;
    if (parser.isSet(u"metrics"_s) && options.metricsAddress.isEmpty())
        return usageError(Text::tr("--metrics takes HOST:PORT (or PORT, on 127.0.0.1)"));
    options.guardian = guardianCommand();
    HeadlessRunner runner(options);
    QObject::connect(&runner, &HeadlessRunner::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    if (const int code = runner.start())
        return code;
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    SignalWatcher::ignoreStraySignals();
    // The guardian role (see ProcessGuardian): no Qt application, just a pipe to watch.
    if (argc == 2 && std::strcmp(argv[1], kGuardianRole) == 0)
        return ProcessGuardian::run();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (const auto window = CommandLine::windowRequest(arguments))
        return runWindow(argc, argv,
                         {window->profile, window->start, window->attach, window->attachCommand,
                          &guardianCommand});
    return runConsole(argc, argv);
}
