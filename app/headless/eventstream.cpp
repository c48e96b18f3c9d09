#include "headless/eventstream.h"

#include "engine/shardengine.h"
#include "service/engineevents.h"
#include "service/eventcodec.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

EventStream::EventStream(EngineEvents *events, QIODevice *out, QObject *parent)
    : QObject(parent)
    , m_events(events)
    , m_out(out)
{
    m_statsTimer.setInterval(EngineDefaults::kStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, [this] {
        for (const QJsonObject &stats : m_events->stats())
            writeObject(stats);
    });
    m_statsTimer.start();
    connect(events, &EngineEvents::event, this, &EventStream::onEvent);
    connect(events, &EngineEvents::output, this,
            [this](int process, bool isStderr, const OutputBatch &batch) {
        // A line an event: consumers of --events json read one output line per event. The
        // event's head is made once for the read, and the read goes out in one write.
        const QByteArray head = EventCodec::outputHead(m_events->outputOf(process, isStderr));
        QByteArray events;
        events.reserve(batch.count * (head.size() + 12) + batch.text.size()
                       + batch.text.size() / 8);
        batch.forEachLine(
            [&](QByteArrayView line) { EventCodec::appendOutputLine(events, head, line); });
        m_out->write(events);
    });
}

void EventStream::onEvent(const QJsonObject &event)
{
    const QString name = event.value(u"event"_s).toString();
    if (name == u"resources"_s)
        return; // the stats events carry these numbers, at the pace the user chose
    writeObject(event);
}

void EventStream::writeObject(const QJsonObject &object)
{
    m_out->write(EventCodec::line(object));
}
