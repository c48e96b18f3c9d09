#pragma once

#include "discord/discordgateway.h"
#include "process/processview.h"
#include "process/resourcemonitor.h"
#include "process/shardstates.h"

#include <QJsonArray>
#include <QJsonObject>

// The parts of the engine's events as JSON, both ways: the service writes them (EngineEvents,
// the snapshot) and the window's RemoteEngine reads them back. docs/control-protocol.md is the
// schema; one function per shape keeps the two sides from drifting apart.
namespace EventCodec {

QString now(); // UTC, ISO 8601 with milliseconds, as every event's "time"
QByteArray nowUtf8(); // the same, as bytes

QJsonObject fromExit(const ExitInfo &info);
ExitInfo toExit(const QJsonObject &object);

QJsonObject fromShardState(const ShardState &state);
ShardState toShardState(const QJsonObject &object);

QJsonObject fromGateway(const GatewayInfo &info);
GatewayInfo toGateway(const QJsonObject &object);

// [timeMs, rssBytes, cpuPercent, threads]: compact, since histories are long.
QJsonArray fromPoint(const ResourcePoint &point);
ResourcePoint toPoint(const QJsonArray &array);

// The name processStateName() gives, back to the state; ok false for an unknown name.
ProcessState toState(const QString &name, bool *ok = nullptr);

QByteArray line(const QJsonObject &object); // compact JSON and a newline

// An output or errorOutput event, written straight to bytes: the one event that comes by the
// hundred thousand a second. Several lines as "lines" (the control socket), or one as "line"
// (--events json). The same JSON QJsonDocument would give, in another key order.
struct OutputEvent {
    bool isStderr = false;
    int process = 0;
    int first = 0;
    int last = 0;
};
QByteArray outputLine(const OutputEvent &event, const QStringList &lines);
QByteArray outputLine(const OutputEvent &event, const QString &line);
// The same from bytes: a batch in one event ("lines"), or one line of it ("line").
QByteArray outputLine(const OutputEvent &event, const OutputBatch &batch);
// An ipcMessage event, written straight to bytes like output (a bot's IPC can come as fast as its
// lines). process is -1 for a sender that is not one of ours (ipcAccept "any"): then no process
// fields, as EngineEvents::make leaves them out.
struct IpcMessageEvent {
    int process = -1;
    int first = 0;
    int last = 0;
    int connection = 0;
};
QByteArray ipcMessageLine(const IpcMessageEvent &event, QStringView message);
// What an output event holds before its lines (time, process, range), made once for a batch.
QByteArray outputHead(const OutputEvent &event);
void appendOutputLine(QByteArray &out, const QByteArray &head, QByteArrayView utf8Line);
// text as a JSON string, quotes included, appended to out.
void appendJsonString(QByteArray &out, QStringView text);
void appendJsonUtf8(QByteArray &out, QByteArrayView utf8);

} // namespace EventCodec
