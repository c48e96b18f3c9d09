#pragma once

#include <QByteArray>
#include <QJsonObject>

#include <optional>

// The control lines a child may send among its messages (README "IPC"): {"op":"ready"},
// {"op":"stats", ...numbers}, {"op":"relay","to":"all"|N,"d":...}. Everything else is data.
namespace IpcControl {

struct Message {
    enum class Op { Ready, Stats, Relay };
    Op op = Op::Ready;
    QJsonObject stats; // Stats: the numeric fields, and "shards" (numbers per shard) when sent
    QByteArray payload; // Relay: "d" as text, or compact JSON for anything else
    bool toAll = false; // Relay: "to": "all"
    int toProcess = -1; // Relay: "to": N
    bool validTarget() const { return toAll || toProcess >= 0; }
};

// The control message line holds, or nothing when it is plain data.
std::optional<Message> parse(const QByteArray &line);

} // namespace IpcControl
