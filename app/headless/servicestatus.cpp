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
#include <QSet>

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

namespace {
// A process is ready when it runs and said so over IPC, or every shard of its range reported a
// ready (or resumed) gateway state in its log.
bool processReady(const QJsonObject &p)
{
    if (p.value(u"state"_s).toString() != u"running"_s)
        return false;
    if (p.value(u"ready"_s).toBool())
        return true;
    QSet<int> ready;
    for (const QJsonValue &value : p.value(u"shards"_s).toArray()) {
        const QJsonObject shard = value.toObject();
        const QString state = shard.value(u"state"_s).toString();
        if (state == u"ready"_s || state == u"resumed"_s)
            ready.insert(shard.value(u"shard"_s).toInt());
    }
    for (int shard = p.value(u"first"_s).toInt(); shard <= p.value(u"last"_s).toInt(); ++shard) {
        if (!ready.contains(shard))
            return false;
    }
    return true;
}
} // namespace

int printServiceStatus(const QString &profilePath, bool readyOnly)
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
    if (readyOnly) {
        // A readiness probe: one line, and the answer in the exit code.
        const QJsonArray processes = snapshot.value(u"processes"_s).toArray();
        int ready = 0;
        for (const QJsonValue &value : processes)
            ready += processReady(value.toObject()) ? 1 : 0;
        print(Text::tr("%1 of %2 processes ready").arg(ready).arg(processes.size()));
        return !processes.isEmpty() && ready == processes.size() ? 0 : 1;
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
