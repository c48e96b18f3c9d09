#include "gui.h"

#include "mainwindow.h"
#include "secrets/secretbackend.h"
#include "engine/shardengine.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

int runWindow(int argc, char **argv, GuardianCommand (*guardian)())
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"shard-manager"_s);
    QApplication::setOrganizationName(u"shard-manager"_s);
    QApplication::setApplicationDisplayName(u"Shard Manager"_s);
    QApplication::setApplicationVersion(QStringLiteral(SHARDMANAGER_VERSION));
    QApplication::setDesktopFileName(u"shard-manager"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Runs a Discord bot as several shard processes. Without PROFILE, "
                                     "the last profile opens. See --headless and --check for use "
                                     "without a window."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"start"_s, u"Start all processes once the profile is open."_s});
    parser.addPositionalArgument(u"profile"_s, u"The profile (JSON) to open."_s, u"[PROFILE]"_s);
    parser.process(app);

    ShardEngine engine;
    engine.setGuardian(guardian());
    KeychainBackend keychain;
    MainWindow window(&engine, &keychain);
    const QStringList positional = parser.positionalArguments();
    const QString last = QSettings().value(u"lastProfile"_s).toString();
    bool opened = false;
    if (!positional.isEmpty())
        opened = window.openProfile(positional.first());
    else if (!last.isEmpty() && QFileInfo::exists(last))
        opened = window.openProfile(last);
    if (!opened)
        window.newProfile();
    window.show();
    if (opened && parser.isSet(u"start"_s))
        window.startAll();
    const int code = app.exec();
    engine.killAll(); // the window quits only after a stop; this catches a quit by other means
    return code;
}
