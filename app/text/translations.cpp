#include "text/translations.h"

#include <QCoreApplication>
#include <QTranslator>

void Translations::install(QCoreApplication &app)
{
    // Owned by the application: it must outlive every tr() call.
    auto *english = new QTranslator(&app);
    if (english->load(QStringLiteral(":/i18n/shardmanager_en.qm")))
        QCoreApplication::installTranslator(english);
    else
        qWarning("shard-manager: the English plural forms are missing from the build");
}
