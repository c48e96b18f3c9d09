#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

// The state of one gateway shard as the bot's own log lines tell it (Discordia's
// "Shard 3 : Received READY"), with the time of its last change.
struct ShardState {
    int shard = -1;
    QString state; // "hello", "ready", "resumed", "reconnecting", "invalidated", "closed"
    QString detail; // the close reason, or the line that caused the change
    int closeCode = 0;
    QDateTime changedAt;
};

namespace ShardStates {

// Reads one line (ANSI codes allowed). Returns true and fills state when the line reports a
// shard event; state.changedAt is left for the caller.
bool parse(const QString &line, ShardState *state);

// Close codes Discord says must not be retried: reconnecting or restarting cannot help.
bool isFatalCloseCode(int code);
QString closeCodeMeaning(int code);

} // namespace ShardStates

// The last state of each shard of each process, as their lines tell it.
class ShardStateTable {
public:
    // Reads one line of a process. Returns true and fills state (changedAt: now) when it
    // reported a shard event, which is then that shard's state.
    bool read(int process, const QString &line, ShardState *state);
    // Ordered by shard.
    QList<ShardState> states(int process) const;
    void clear() { m_states.clear(); }

private:
    QHash<int, QHash<int, ShardState>> m_states;
};
