#include "headless/eventstream.h"

#include "engine/shardengine.h"
#include "service/engineevents.h"
#include "service/eventcodec.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
// Past this much in one turn the lines go out at once: a burst must not pile up here.
constexpr qsizetype kMaxPending = 256 * 1024;
} // namespace

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
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventStream::flush);
    // The last lines of a run (the exits of a stop) must not stay here.
    connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this,
            &EventStream::flush);
    connect(events, &EngineEvents::event, this, &EventStream::onEvent);
    connect(events, &EngineEvents::ipcMessage, this, &EventStream::append);
    connect(events, &EngineEvents::output, this,
            [this](int process, bool isStderr, const OutputBatch &batch) {
        // A line an event: consumers of --events json read one output line per event. The
        // event's head is made once for the read, and the lines join the turn's other events.
        const QByteArray head = EventCodec::outputHead(m_events->outputOf(process, isStderr));
        m_pending.reserve(m_pending.size() + batch.count * (head.size() + 12) + batch.text.size()
                          + batch.text.size() / 8);
        batch.forEachLine(
            [&](QByteArrayView line) { EventCodec::appendOutputLine(m_pending, head, line); });
        flushSoon();
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
    append(EventCodec::line(object));
}

void EventStream::append(const QByteArray &line)
{
    m_pending += line;
    flushSoon();
}

void EventStream::flushSoon()
{
    if (m_pending.size() >= kMaxPending)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventStream::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    m_out->write(m_pending);
    m_pending.truncate(0); // keeps the allocation for the next turn
}
