#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// The state of one gateway shard as the bot's own log lines tell it (Discordia's
// "Shard 3 : Received READY"), with the time of its last change.
struct ShardState
{
    int shard = -1;
    QString state;  // "hello", "ready", "resumed", "reconnecting", "invalidated", "closed"
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
