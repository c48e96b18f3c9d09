// shard-manager: the window by default; --headless, --check, --version and --help without one.

#include "headless/headlessrunner.h"
#include "platform/guardian.h"
#include "platform/signalwatcher.h"
#include "gui.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

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

bool wantsWindow(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : {"--headless", "--check", "--version", "-v", "--help", "-h", "--help-all"}) {
            if (std::strcmp(argv[i], flag) == 0)
                return false;
        }
    }
    return true;
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Runs a Discord bot as several processes, each owning a range of gateway shards.\n"
        "Without options it opens the window on PROFILE (or the last profile)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"headless"_s, u"Run PROFILE without a window until SIGTERM, SIGINT, SIGHUP or SIGQUIT."_s});
    parser.addOption({u"check"_s, u"Validate PROFILE and print its shard plan."_s});
    parser.addOption({u"events"_s, u"With --headless: print engine events on stdout as FORMAT (json)."_s,
                      u"format"_s});
    parser.addOption({u"token-from-env"_s,
                      u"With --headless: take the bot token from the environment variable VAR "
                      "instead of the keychain (servers without a keychain)."_s,
                      u"VAR"_s});
    parser.addOption({u"stats-interval"_s,
                      u"With --events json: write a stats event per process every SECONDS (default %1)."_s
                          .arg(EngineDefaults::kStatsIntervalMs / 1000),
                      u"seconds"_s, QString::number(EngineDefaults::kStatsIntervalMs / 1000)});
    parser.addPositionalArgument(u"profile"_s, u"The profile (JSON) to open or run."_s, u"[PROFILE]"_s);
}

int runConsole(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"shard-manager"_s);
    QCoreApplication::setOrganizationName(u"shard-manager"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SHARDMANAGER_VERSION));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const bool headless = parser.isSet(u"headless"_s);
    const bool check = parser.isSet(u"check"_s);
    if (positional.size() != 1 || headless == check) {
        std::fputs("shard-manager: give one PROFILE with either --headless or --check (see --help)\n", stderr);
        return 64;
    }
    if (check)
        return checkProfile(positional.first());

    HeadlessRunner::Options options;
    options.profilePath = positional.first();
    if (parser.isSet(u"events"_s)) {
        if (parser.value(u"events"_s) != u"json"_s) {
            std::fputs("shard-manager: --events takes \"json\"\n", stderr);
            return 64;
        }
        options.jsonEvents = true;
    }
    options.tokenVariable = parser.value(u"token-from-env"_s);
    bool ok = false;
    const double statsSeconds = parser.value(u"stats-interval"_s).toDouble(&ok);
    if (!ok || statsSeconds < 0.1 || statsSeconds > 86400) {
        std::fputs("shard-manager: --stats-interval takes seconds from 0.1 to 86400\n", stderr);
        return 64;
    }
    options.statsIntervalMs = int(statsSeconds * 1000);
    options.guardian = guardianCommand();
    HeadlessRunner runner(options);
    QObject::connect(&runner, &HeadlessRunner::finished, &app, [](int code) { QCoreApplication::exit(code); });
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
    if (wantsWindow(argc, argv))
        return runWindow(argc, argv, &guardianCommand);
    return runConsole(argc, argv);
}
