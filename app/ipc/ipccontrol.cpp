#include "ipc/ipccontrol.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
// What a relay forwards: text as it is, anything else as compact JSON.
QByteArray relayPayload(const QJsonValue &d)
{
    if (d.isString())
        return d.toString().toUtf8();
    if (d.isObject())
        return QJsonDocument(d.toObject()).toJson(QJsonDocument::Compact);
    // Wrap scalars and arrays in an array to serialise them, then unwrap.
    const QByteArray wrapped = QJsonDocument(QJsonArray {d}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}
} // namespace

std::optional<IpcControl::Message> IpcControl::parse(const QByteArray &line)
{
    // Cheap test first: most traffic is plain data and must not pay for a JSON parse.
    if (!line.startsWith('{') || !line.contains("\"op\""))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    const QString op = o.value(u"op"_s).toString();
    Message m;
    if (op == u"ready"_s) {
        m.op = Message::Op::Ready;
    } else if (op == u"stats"_s) {
        m.op = Message::Op::Stats;
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.value().isDouble())
                m.stats.insert(it.key(), it.value());
        }
        // Numbers per shard ({"shards":{"3":{"guilds":150,"ping":42}}}) for the shard view.
        if (const QJsonValue shards = o.value(u"shards"_s); shards.isObject())
            m.stats.insert(u"shards"_s, shards);
    } else if (op == u"relay"_s) {
        m.op = Message::Op::Relay;
        m.payload = relayPayload(o.value(u"d"_s));
        const QJsonValue to = o.value(u"to"_s);
        if (to == QJsonValue(u"all"_s)) {
            m.toAll = true;
        } else if (to.isDouble()) {
            const double n = to.toDouble();
            if (n >= 0 && n <= 1e9 && n == double(int(n)))
                m.toProcess = int(n);
        }
    } else {
        return std::nullopt;
    }
    return m;
}
