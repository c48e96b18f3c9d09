#include "gui.h"

#include "mainwindow.h"
#include "secrets/secretbackend.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "servicecontrols.h"
#include "text/translations.h"
#include "theme.h"

#include <QApplication>

#include <cstdio>

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

    // The bot runs in a service (`--headless`, started detached when Start finds none); the
    // window mirrors and steers it, so closing the window need not stop the bot.
    // Before any widget exists: the window is built in its colours from the start.
    Theme::apply(Theme::saved());
    RemoteEngine engine;
    ServiceLink link(&engine);
    KeychainBackend keychain;
    MainWindow window(&engine, &keychain);
    window.setServiceLink(&link, &engine);
    if (!request.attach.isEmpty() || !request.attachCommand.isEmpty()) {
        window.newProfile();
        QString error;
        if (!window.serviceControls()->attachRemote(request.attach, request.attachCommand,
                                                    &error)) {
            const QByteArray text = (u"shard-manager: "_s + error + u'\n').toLocal8Bit();
            std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
            return 64;
        }
        window.show();
        return app.exec();
    }
    // No profile asked for and none remembered: the welcome page.
    const bool opened = window.openAtStart(request.profile);
    window.show();
    if (opened && request.start)
        window.startAll();
    return app.exec();
}
