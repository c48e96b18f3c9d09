#include "service/eventcodec.h"

#include "platform/processcontrol.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

QByteArray EventCodec::nowUtf8()
{
    // Events come by the hundred thousand a second: the date and time to the second are made
    // once a second (QDateTime::toString costs microseconds), the milliseconds by hand.
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached; // "2026-11-28T12:34:56."
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 second = ms / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = QDateTime::fromSecsSinceEpoch(second, Qt::UTC)
                     .toString(Qt::ISODate)
                     .toLatin1()
                     .chopped(1) // 'Z'
            + '.';
    }
    const int milli = int(ms % 1000);
    QByteArray out;
    out.reserve(cached.size() + 4);
    out.append(cached);
    out.append(char('0' + milli / 100));
    out.append(char('0' + milli / 10 % 10));
    out.append(char('0' + milli % 10));
    out.append('Z');
    return out;
}

QString EventCodec::now()
{
    return QString::fromLatin1(nowUtf8());
}

QJsonObject EventCodec::fromExit(const ExitInfo &info)
{
    QJsonObject o {
        {u"requested"_s, info.requested},
        {u"restart"_s, info.restartScheduled},
        {u"uptimeMs"_s, info.uptimeMs},
        {u"code"_s, info.crashed ? QJsonValue() : QJsonValue(info.code)},
        {u"signal"_s,
         info.crashed ? QJsonValue(ProcessControl::signalName(info.signal)) : QJsonValue()},
        {u"signalNumber"_s, info.crashed ? QJsonValue(info.signal) : QJsonValue()}};
    if (info.restartScheduled)
        o[u"restartInMs"_s] = info.restartInMs;
    if (info.failedToStart)
        o[u"error"_s] = info.error;
    if (!info.restartHeldBack.isEmpty())
        o[u"restartHeldBack"_s] = info.restartHeldBack;
    return o;
}

ExitInfo EventCodec::toExit(const QJsonObject &o)
{
    ExitInfo info;
    info.crashed = o.value(u"signalNumber"_s).isDouble();
    info.signal = o.value(u"signalNumber"_s).toInt();
    info.code = o.value(u"code"_s).toInt();
    info.requested = o.value(u"requested"_s).toBool();
    info.restartScheduled = o.value(u"restart"_s).toBool();
    info.restartInMs = o.value(u"restartInMs"_s).toInteger();
    info.uptimeMs = o.value(u"uptimeMs"_s).toInteger();
    info.failedToStart = o.contains(u"error"_s);
    info.error = o.value(u"error"_s).toString();
    info.restartHeldBack = o.value(u"restartHeldBack"_s).toString();
    return info;
}

QJsonObject EventCodec::fromShardState(const ShardState &state)
{
    QJsonObject o {{u"shard"_s, state.shard},
                   {u"state"_s, state.state},
                   {u"detail"_s, state.detail},
                   {u"changedAt"_s, state.changedAt.toUTC().toString(Qt::ISODateWithMs)}};
    if (state.closeCode)
        o[u"closeCode"_s] = state.closeCode;
    return o;
}

ShardState EventCodec::toShardState(const QJsonObject &o)
{
    ShardState state;
    state.shard = o.value(u"shard"_s).toInt(-1);
    state.state = o.value(u"state"_s).toString();
    state.detail = o.value(u"detail"_s).toString();
    state.closeCode = o.value(u"closeCode"_s).toInt();
    state.changedAt = QDateTime::fromString(o.value(u"changedAt"_s).toString(), Qt::ISODateWithMs);
    return state;
}

QJsonObject EventCodec::fromGateway(const GatewayInfo &info)
{
    return {{u"shards"_s, info.shards},
            {u"sessionRemaining"_s, info.sessionRemaining},
            {u"sessionTotal"_s, info.sessionTotal},
            {u"resetAfterMs"_s, info.resetAfterMs},
            {u"maxConcurrency"_s, info.maxConcurrency},
            {u"fetchedAt"_s, info.fetchedAt.toUTC().toString(Qt::ISODateWithMs)}};
}

GatewayInfo EventCodec::toGateway(const QJsonObject &o)
{
    GatewayInfo info;
    info.valid = o.value(u"shards"_s).toInt() > 0;
    info.shards = o.value(u"shards"_s).toInt();
    info.sessionRemaining = o.value(u"sessionRemaining"_s).toInt();
    info.sessionTotal = o.value(u"sessionTotal"_s).toInt();
    info.resetAfterMs = o.value(u"resetAfterMs"_s).toInteger();
    info.maxConcurrency = o.value(u"maxConcurrency"_s).toInt(1);
    info.fetchedAt = QDateTime::fromString(o.value(u"fetchedAt"_s).toString(), Qt::ISODateWithMs);
    return info;
}

QJsonArray EventCodec::fromPoint(const ResourcePoint &point)
{
    return {point.timeMs, point.rssBytes, qRound(point.cpuPercent * 10) / 10.0, point.threads};
}

ResourcePoint EventCodec::toPoint(const QJsonArray &array)
{
    ResourcePoint point;
    point.timeMs = array.at(0).toInteger();
    point.rssBytes = array.at(1).toInteger();
    point.cpuPercent = float(array.at(2).toDouble());
    point.threads = array.at(3).toInt();
    return point;
}

ProcessState EventCodec::toState(const QString &name, bool *ok)
{
    for (ProcessState state : {ProcessState::Pending, ProcessState::Starting, ProcessState::Running,
                               ProcessState::Stopping, ProcessState::Stopped, ProcessState::Exited,
                               ProcessState::Restarting, ProcessState::CrashLoop}) {
        if (processStateName(state) == name) {
            if (ok)
                *ok = true;
            return state;
        }
    }
    if (ok)
        *ok = false;
    return ProcessState::Pending;
}

QByteArray EventCodec::line(const QJsonObject &object)
{
    QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    return bytes;
}

void EventCodec::appendJsonString(QByteArray &out, QStringView text)
{
    appendJsonUtf8(out, text.toUtf8());
}

void EventCodec::appendJsonUtf8(QByteArray &out, QByteArrayView utf8)
{
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    static constexpr char kHex[] = "0123456789abcdef";
    // Runs that need no escape (nearly everything a bot prints) are copied whole.
    const char *p = utf8.data();
    const char *end = p + utf8.size();
    while (p < end) {
        const char *run = p;
        while (p < end && static_cast<unsigned char>(*p) >= 0x20 && *p != '"' && *p != '\\')
            ++p;
        out.append(run, p - run);
        if (p == end)
            break;
        const char c = *p++;
        out.append('\\');
        switch (c) {
        case '"': out.append('"'); break;
        case '\\': out.append('\\'); break;
        case '\n': out.append('n'); break;
        case '\r': out.append('r'); break;
        case '\t': out.append('t'); break;
        case '\b': out.append('b'); break;
        case '\f': out.append('f'); break;
        default:
            out.append("u00");
            out.append(kHex[static_cast<unsigned char>(c) >> 4]);
            out.append(kHex[static_cast<unsigned char>(c) & 0xf]);
        }
    }
    out.append('"');
}

QByteArray EventCodec::outputHead(const OutputEvent &event)
{
    QByteArray out;
    out.append(event.isStderr ? "{\"event\":\"errorOutput\",\"time\":"
                              : "{\"event\":\"output\",\"time\":");
    out.append('"').append(nowUtf8()).append('"');
    out.append(",\"process\":").append(QByteArray::number(event.process));
    out.append(",\"first\":").append(QByteArray::number(event.first));
    out.append(",\"last\":").append(QByteArray::number(event.last));
    return out;
}

QByteArray EventCodec::outputLine(const OutputEvent &event, const QStringList &lines)
{
    QByteArray out = outputHead(event);
    out.append(",\"lines\":[");
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendJsonString(out, lines.at(i));
    }
    out.append("]}\n");
    return out;
}

QByteArray EventCodec::outputLine(const OutputEvent &event, const QString &line)
{
    QByteArray out = outputHead(event);
    out.append(",\"line\":");
    appendJsonString(out, line);
    out.append("}\n");
    return out;
}

QByteArray EventCodec::outputLine(const OutputEvent &event, const OutputBatch &batch)
{
    QByteArray out = outputHead(event);
    out.reserve(out.size() + batch.text.size() + 3 * batch.count + 16);
    out.append(",\"lines\":[");
    bool first = true;
    batch.forEachLine([&](QByteArrayView line) {
        if (!first)
            out.append(',');
        first = false;
        appendJsonUtf8(out, line);
    });
    out.append("]}\n");
    return out;
}

void EventCodec::appendOutputLine(QByteArray &out, const QByteArray &head, QByteArrayView utf8Line)
{
    out.append(head);
    out.append(",\"line\":");
    appendJsonUtf8(out, utf8Line);
    out.append("}\n");
}

QByteArray EventCodec::ipcMessageLine(const IpcMessageEvent &event, QStringView message)
{
    QByteArray out;
    out.reserve(96 + message.size() * 3 / 2);
    out.append("{\"event\":\"ipcMessage\",\"time\":\"").append(nowUtf8()).append('"');
    if (event.process >= 0) {
        out.append(",\"process\":").append(QByteArray::number(event.process));
        out.append(",\"first\":").append(QByteArray::number(event.first));
        out.append(",\"last\":").append(QByteArray::number(event.last));
    }
    out.append(",\"connection\":").append(QByteArray::number(event.connection));
    out.append(",\"message\":");
    appendJsonString(out, message);
    out.append("}\n");
    return out;
}
