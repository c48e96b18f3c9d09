#include "gui.h"

#include "engine/shardengine.h"
#include "mainwindow.h"
#include "secrets/secretbackend.h"
#include "text/translations.h"

#include <QApplication>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

int runWindow(int argc, char **argv, const WindowStart &request)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"shard-manager"_s);
    QApplication::setOrganizationName(u"shard-manager"_s);
    QApplication::setApplicationDisplayName(u"Shard Manager"_s);
    QApplication::setApplicationVersion(QStringLiteral(SHARDMANAGER_VERSION));
    QApplication::setDesktopFileName(u"shard-manager"_s);
    Translations::install(app);

    ShardEngine engine;
    if (request.guardian)
        engine.setGuardian(request.guardian());
    KeychainBackend keychain;
    MainWindow window(&engine, &keychain);
    const QString last = QSettings().value(u"lastProfile"_s).toString();
    bool opened = false;
    if (!request.profile.isEmpty())
        opened = window.openProfile(request.profile);
    else if (!last.isEmpty() && QFileInfo::exists(last))
        opened = window.openProfile(last);
    if (!opened)
        window.newProfile();
    window.show();
    if (opened && request.start)
        window.startAll();
    const int code = app.exec();
    engine.killAll(); // the window quits only after a stop; this catches a quit by other means
    return code;
}
