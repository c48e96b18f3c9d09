#pragma once

#include <QObject>
#include <QTimer>

class EngineEvents;
class QIODevice;
class QJsonObject;

// `--events json` (README): the engine's events (EngineEvents, the control socket's vocabulary)
// as one JSON object per line, one line per event, plus a stats event per process every
// --stats-interval in place of the per-second resources events. The lines of one event-loop turn
// go out in one write at the end of the turn (a write per event was most of the cost of 100
// children talking at once); flush() writes what waits at once, for exit or before other output.
class EventStream : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventStream)

public:
    EventStream(EngineEvents *events, QIODevice *out, QObject *parent = nullptr);

    void setStatsInterval(int ms) { m_statsTimer.setInterval(ms); }
    void flush();

private:
    void onEvent(const QJsonObject &event);
    void writeObject(const QJsonObject &object);
    void append(const QByteArray &line);
    // What waits goes out at the end of this turn, or now past kMaxPending.
    void flushSoon();

    EngineEvents *m_events;
    QIODevice *m_out;
    QTimer m_statsTimer;
    QTimer m_flushTimer; // zero interval: the end of the current event-loop turn
    QByteArray m_pending;
};
