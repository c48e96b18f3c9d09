#pragma once

#include <QObject>
#include <QTimer>

class QIODevice;
class QJsonObject;
class ShardEngine;

// Writes every engine event as one JSON object per line (`--events json`, documented in the
// README): started, output, errorOutput, exited, state, ipcMessage, stats (every 10 s), ...
class EventStream : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventStream)

public:
    EventStream(ShardEngine *engine, QIODevice *out, QObject *parent = nullptr);

    void write(const QString &event, int process, QJsonObject fields);
    void setStatsInterval(int ms) { m_statsTimer.setInterval(ms); }

private:
    void writeObject(const QJsonObject &object);
    void writeStats();

    ShardEngine *m_engine;
    QIODevice *m_out;
    QTimer m_statsTimer;
};
