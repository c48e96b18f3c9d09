#include "service/controlsnapshot.h"

#include "engine/shardengine.h"
#include "service/eventcodec.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

QJsonArray points(const std::deque<ResourcePoint> &list, size_t limit)
{
    QJsonArray array;
    const size_t skip = list.size() > limit ? list.size() - limit : 0;
    for (auto it = list.begin() + qsizetype(skip); it != list.end(); ++it)
        array.append(EventCodec::fromPoint(*it));
    return array;
}

QJsonObject resources(const ResourceHistory &h)
{
    QJsonArray starts;
    for (qint64 start : h.starts)
        starts.append(start);
    QJsonObject o {{u"recent"_s, points(h.recent, ResourceHistory::kRecent)},
                   {u"session"_s, points(h.session, ControlSnapshot::kSessionPoints)},
                   {u"starts"_s, starts}};
    if (h.hasSample)
        o.insert(u"last"_s, EventCodec::fromPoint(h.last));
    return o;
}

QJsonArray lines(const RecentLines &recent)
{
    QJsonArray array;
    const QList<OutputLine> all = recent.lines();
    const qsizetype from = std::max<qsizetype>(0, all.size() - ControlSnapshot::kLinesPerProcess);
    for (qsizetype i = from; i < all.size(); ++i) {
        const OutputLine &line = all.at(i);
        array.append(QJsonArray {line.timeMs, line.isStderr, line.text});
    }
    return array;
}

QJsonObject process(const ShardEngine *engine, const ShardRange &range, const QDateTime &now)
{
    const int i = range.process;
    const ProcessView *p = engine->process(i);
    QJsonObject o {{u"process"_s, i},
                   {u"first"_s, range.first},
                   {u"last"_s, range.last},
                   {u"startOffsetMs"_s, range.startOffsetMs},
                   {u"state"_s, processStateName(p->state())},
                   {u"restarts"_s, p->restarts()}};
    if (p->pid() > 0) {
        o.insert(u"pid"_s, p->pid());
        o.insert(u"uptimeMs"_s, p->startedAt().msecsTo(now));
        o.insert(u"startedAt"_s, p->startedAt().toUTC().toString(Qt::ISODateWithMs));
    }
    if (p->hasExited())
        o.insert(u"lastExit"_s, EventCodec::fromExit(p->lastExit()));
    if (p->restartAt().isValid())
        o.insert(u"restartAt"_s, p->restartAt().toUTC().toString(Qt::ISODateWithMs));
    if (!p->autoRestartBlock().isEmpty())
        o.insert(u"autoRestartBlock"_s, p->autoRestartBlock());
    if (engine->isReady(i))
        o.insert(u"ready"_s, true);
    if (const int n = engine->ipcConnectionCount(i))
        o.insert(u"ipcConnections"_s, n);
    if (const QJsonObject stats = engine->ipcStats(i); !stats.isEmpty())
        o.insert(u"ipcStats"_s, stats);
    if (const LaunchInfo launch = engine->launchInfo(i); launch.isValid())
        o.insert(u"launch"_s, launch.toJson());
    QJsonArray shards;
    for (const ShardState &state : engine->shardStates(i))
        shards.append(EventCodec::fromShardState(state));
    if (!shards.isEmpty())
        o.insert(u"shards"_s, shards);
    const ResourceHistory &history = engine->resources(i);
    if (history.hasSample || !history.starts.isEmpty())
        o.insert(u"resources"_s, resources(history));
    if (p->recentLines().size() > 0)
        o.insert(u"lines"_s, lines(p->recentLines()));
    return o;
}

} // namespace

QJsonObject ControlSnapshot::build(const ShardEngine *engine, const QJsonArray &ipcMessages)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray processes;
    for (const ShardRange &range : engine->schedule())
        processes.append(process(engine, range, now));
    const RunStatus status = engine->status();
    QJsonObject run {{u"sessionOpen"_s, status.sessionOpen},
                     {u"rollingRestart"_s, status.rollingRestart},
                     {u"autoRestartsPaused"_s, status.autoRestartsPaused},
                     {u"logFile"_s, status.logFile},
                     {u"logFileFailing"_s, status.logFileFailing},
                     {u"ipcAddress"_s, status.ipcAddress},
                     {u"identifyBudget"_s, status.identifyBudget},
                     {u"identifyThreshold"_s, status.identifyThreshold},
                     {u"hasToken"_s, engine->hasToken()}};
    QJsonObject snapshot {{u"type"_s, u"snapshot"_s},
                          {u"time"_s, EventCodec::now()},
                          {u"profile"_s, engine->profile().toJson()},
                          {u"status"_s, run},
                          {u"processes"_s, processes},
                          {u"ipcMessages"_s, ipcMessages}};
    if (engine->gatewayInfo().valid)
        snapshot.insert(u"gateway"_s, EventCodec::fromGateway(engine->gatewayInfo()));
    return snapshot;
}
