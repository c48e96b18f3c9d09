#include "headless/servicestatus.h"

#include "engine/shardengine.h"
#include "service/controlpaths.h"
#include "service/controlserver.h"
#include "text/units.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ServiceStatus)
};

void print(const QString &text)
{
    const QByteArray bytes = (text + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

} // namespace

QString noServiceText(const QString &profilePath, const QString &socketPath)
{
    return Text::tr("no service runs %1 (no answer on %2)").arg(profilePath, socketPath);
}

int printServiceStatus(const QString &profilePath)
{
    const QString path = ControlPaths::socketFor(profilePath);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(2000)) {
        print(noServiceText(profilePath, path));
        return 3;
    }
    const QJsonObject hello = ControlServer::readObject(socket, 3000);
    const QJsonObject snapshot = ControlServer::readObject(socket, 3000);
    if (hello.value(u"type"_s) != u"hello"_s || snapshot.value(u"type"_s) != u"snapshot"_s) {
        print(
            Text::tr("the service of %1 did not answer as expected on %2").arg(profilePath, path));
        return 3;
    }
    const QDateTime since
        = QDateTime::fromString(hello.value(u"since"_s).toString(), Qt::ISODateWithMs);
    print(Text::tr("service: pid %1, running since %2 (%3), control socket %4")
              .arg(hello.value(u"pid"_s).toInteger())
              .arg(since.toLocalTime().toString(Qt::ISODate),
                   Units::duration(since.msecsTo(QDateTime::currentDateTimeUtc())), path));
    for (const QJsonValue &value : snapshot.value(u"processes"_s).toArray()) {
        const QJsonObject p = value.toObject();
        QString line = Text::tr("process %1 (shards %2 to %3): %4")
                           .arg(p.value(u"process"_s).toInt())
                           .arg(p.value(u"first"_s).toInt())
                           .arg(p.value(u"last"_s).toInt())
                           .arg(p.value(u"state"_s).toString());
        if (p.contains(u"pid"_s))
            line += Text::tr(", pid %1, up %2")
                        .arg(p.value(u"pid"_s).toInteger())
                        .arg(Units::duration(p.value(u"uptimeMs"_s).toInteger()));
        line += Text::tr(", %n restart(s)", nullptr, p.value(u"restarts"_s).toInt());
        print(line);
    }
    return 0;
}
