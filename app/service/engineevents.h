#pragma once

#include "service/eventcodec.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

class AbstractEngine;

// Every engine signal as one JSON event (docs/control-protocol.md): the one serializer behind
// `--events json` and the control socket. Each event has "event" and "time"; those about one
// process also "process", "first" and "last".
class EngineEvents : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineEvents)

public:
    explicit EngineEvents(AbstractEngine *engine, QObject *parent = nullptr);

    // Which event each engine signal becomes (signal name -> event name). A signal whose news
    // another event carries maps to that event. tst_control checks that every signal the engine
    // declares is here and every event here is in the documented schema.
    static const QList<std::pair<QByteArray, QString>> &signalEvents();

    // The event, with its time and the process's fields when process is one.
    QJsonObject make(const QString &event, int process, QJsonObject fields) const;
    // A "stats" event for each process with a sample (`--events json` writes them every
    // --stats-interval).
    QList<QJsonObject> stats() const;
    // The plan as the "plan" event and the snapshot carry it.
    QJsonObject plan() const;
    // Sends an event of the front end's own (a stdin line dropped, a control client refused)
    // to everyone who reads the engine's.
    void post(const QString &name, int process, QJsonObject fields);

    // The output event's fields of a process (its range), for EventCodec::outputLine.
    EventCodec::OutputEvent outputOf(int process, bool isStderr) const;

signals:
    // Every event but output and ipcMessage, as JSON.
    void event(const QJsonObject &event);
    // Output lines: a listener serializes them (EventCodec::outputLine) only when someone reads.
    void output(int process, bool isStderr, const OutputBatch &batch);
    // ipcMessage events, already a JSON line (EventCodec::ipcMessageLine): they can come as fast.
    void ipcMessage(const QByteArray &line);

private:
    void emitConnections();

    AbstractEngine *m_engine;
    // Connections come and go in bursts (a hundred processes starting): one event per 100 ms.
    QTimer m_connectionsTimer;
};
