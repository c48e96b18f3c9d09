// shard-manager: the window by default; --headless, --check, --version and --help without one.

#include "commandline.h"
#include "headless/headlessrunner.h"
#include "platform/guardian.h"
#include "platform/signalwatcher.h"
#include "gui.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

int runConsole(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"shard-manager"_s);
    QCoreApplication::setOrganizationName(u"shard-manager"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SHARDMANAGER_VERSION));
    QCommandLineParser parser;
    CommandLine::describe(parser);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const bool headless = parser.isSet(u"headless"_s);
    const bool check = parser.isSet(u"check"_s);
    if (positional.size() != 1 || headless == check) {
        std::fputs("shard-manager: give one PROFILE with either --headless or --check (see --help)\n", stderr);
        return 64;
    }
    for (const QString &name : parser.optionNames()) {
        if (CommandLine::isWindowOption(name)) {
            std::fprintf(stderr, "shard-manager: --%s is for the window, not with --%s\n",
                         qPrintable(name), headless ? "headless" : "check");
            return 64;
        }
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
    if (argc == 2 && std::strcmp(argv[1], "--guardian") == 0)
        return ProcessGuardian::run();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    if (const auto window = CommandLine::windowRequest(arguments))
        return runWindow(argc, argv, window->profile, window->start);
    return runConsole(argc, argv);
}
