#pragma once

#include <QObject>
#include <QTimer>

class EngineEvents;
class QIODevice;
class QJsonObject;

// `--events json` (README): the engine's events (EngineEvents, the control socket's vocabulary)
// as one JSON object per line, output one line per event, plus a stats event per process every
// --stats-interval in place of the per-second resources events.
class EventStream : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventStream)

public:
    EventStream(EngineEvents *events, QIODevice *out, QObject *parent = nullptr);

    void setStatsInterval(int ms) { m_statsTimer.setInterval(ms); }

private:
    void onEvent(const QJsonObject &event);
    void writeObject(const QJsonObject &object);

    EngineEvents *m_events;
    QIODevice *m_out;
    QTimer m_statsTimer;
};
