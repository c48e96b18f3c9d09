// Fuzzes IpcControl::parse, the reading of control lines among IPC messages: any bytes give a
// control message or plain data, never a crash; a control message is exactly what its JSON says.

#include "fuzzcheck.h"
#include "ipc/ipccontrol.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray line(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<IpcControl::Message> m = IpcControl::parse(line);
    if (!m)
        return 0;

    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString op = o.value(u"op"_s).toString();
    using Op = IpcControl::Message::Op;
    switch (m->op) {
    case Op::Ready: FUZZ_CHECK(op == u"ready"_s); break;
    case Op::Stats:
        FUZZ_CHECK(op == u"stats"_s);
        // Exactly the numeric fields.
        for (auto it = o.begin(); it != o.end(); ++it)
            FUZZ_CHECK(it.value().isDouble() == m->stats.contains(it.key()));
        for (auto it = m->stats.begin(); it != m->stats.end(); ++it)
            FUZZ_CHECK(it.value() == o.value(it.key()));
        break;
    case Op::Relay:
        FUZZ_CHECK(op == u"relay"_s);
        FUZZ_CHECK(!(m->toAll && m->toProcess >= 0));
        FUZZ_CHECK(m->toAll == (o.value(u"to"_s) == QJsonValue(u"all"_s)));
        if (m->toProcess >= 0)
            FUZZ_CHECK(o.value(u"to"_s).toDouble() == double(m->toProcess));
        if (o.value(u"d"_s).isString())
            FUZZ_CHECK(m->payload == o.value(u"d"_s).toString().toUtf8());
        break;
    }
    return 0;
}
