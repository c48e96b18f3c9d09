#include "process/shardstates.h"

#include "output/ansi.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ShardStates)
};

} // namespace

bool ShardStates::isFatalCloseCode(int code)
{
    return code == 4004 || (code >= 4010 && code <= 4014);
}

QString ShardStates::closeCodeMeaning(int code)
{
    switch (code) {
    case 4004: return Text::tr("authentication failed: the token is wrong or was reset");
    case 4010: return Text::tr("invalid shard: the shard id or count is wrong");
    case 4011: return Text::tr("sharding required: the bot needs more shards");
    case 4012: return Text::tr("invalid API version");
    case 4013: return Text::tr("invalid intents");
    case 4014:
        return Text::tr(
            "disallowed intents: enable them in the developer portal or stop requesting them");
    default: break;
    }
    return QString();
}

bool ShardStates::parse(const QString &line, ShardState *state)
{
    // Cheap rejection first: this runs on every line a bot prints.
    const qsizetype at = line.indexOf(u"Shard "_s);
    if (at < 0)
        return false;
    static const QRegularExpression shardLine(u"Shard (\\d+) : (.*)$"_s);
    const QString text = Ansi::contains(line) ? Ansi::strip(line) : line;
    const QRegularExpressionMatch m = shardLine.match(text);
    if (!m.hasMatch())
        return false;
    const QString message = m.captured(2).trimmed();
    ShardState s;
    s.shard = m.captured(1).toInt();
    s.detail = message;
    static const QRegularExpression closeLine(u"^(4\\d{3}) - (.*)$"_s);
    if (message.startsWith(u"Received HELLO"_s)) {
        s.state = u"hello"_s;
    } else if (message.startsWith(u"Received READY"_s)) {
        s.state = u"ready"_s;
    } else if (message.startsWith(u"Received RESUMED"_s)) {
        s.state = u"resumed"_s;
    } else if (message.startsWith(u"Reconnecting"_s)) {
        s.state = u"reconnecting"_s;
    } else if (message.startsWith(u"Session invalidated"_s)) {
        s.state = u"invalidated"_s;
    } else if (const QRegularExpressionMatch close = closeLine.match(message); close.hasMatch()) {
        s.state = u"closed"_s;
        s.closeCode = close.captured(1).toInt();
        s.detail = close.captured(2);
    } else {
        return false;
    }
    *state = s;
    return true;
}

bool ShardStateTable::read(int process, const QString &line, ShardState *state)
{
    if (!ShardStates::parse(line, state))
        return false;
    state->changedAt = QDateTime::currentDateTime();
    m_states[process].insert(state->shard, *state);
    return true;
}

QList<ShardState> ShardStateTable::states(int process) const
{
    QList<ShardState> list = m_states.value(process).values();
    std::sort(list.begin(), list.end(),
              [](const ShardState &a, const ShardState &b) { return a.shard < b.shard; });
    return list;
}
