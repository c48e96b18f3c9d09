#pragma once

#include <QJsonArray>
#include <QJsonObject>

class ShardEngine;

// What a control client reads right after hello: the whole run as it stands (profile, plan,
// every process with its state, last exit, resources history, gateway and shard states, its last
// lines, recent IPC messages). Events from then on keep it current.
namespace ControlSnapshot {

constexpr int kLinesPerProcess = 500;
constexpr int kRecentIpcMessages = 200;
constexpr int kSessionPoints = 360; // the last hour of 10 s points

QJsonObject build(const ShardEngine *engine, const QJsonArray &ipcMessages);

} // namespace ControlSnapshot
