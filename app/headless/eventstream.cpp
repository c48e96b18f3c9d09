#include "headless/eventstream.h"

#include "engine/shardengine.h"
#include "platform/processcontrol.h"
#include "process/resourcemonitor.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

EventStream::EventStream(ShardEngine *engine, QIODevice *out, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_out(out)
{
    m_statsTimer.setInterval(EngineDefaults::kStatsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &EventStream::writeStats);
    m_statsTimer.start();
    connect(engine, &ShardEngine::processStarted, this, [this](int process, qint64 pid) {
        write(u"started"_s, process, {{u"pid"_s, pid}});
    });
    connect(engine, &ShardEngine::linesRead, this,
            [this](int process, bool isStderr, const QStringList &lines) {
        const QString event = isStderr ? u"errorOutput"_s : u"output"_s;
        for (const QString &line : lines)
            write(event, process, {{u"line"_s, line}});
    });
    connect(engine, &ShardEngine::processExited, this, [this](int process, const ExitInfo &info) {
        QJsonObject o {
            {u"requested"_s, info.requested},
            {u"restart"_s, info.restartScheduled},
            {u"uptimeMs"_s, info.uptimeMs},
            {u"code"_s, info.crashed ? QJsonValue() : QJsonValue(info.code)},
            {u"signal"_s,
             info.crashed ? QJsonValue(ProcessControl::signalName(info.signal)) : QJsonValue()},
            {u"signalNumber"_s, info.crashed ? QJsonValue(info.signal) : QJsonValue()}};
        if (info.restartScheduled)
            o[u"restartInMs"_s] = info.restartInMs;
        if (info.failedToStart)
            o[u"error"_s] = info.error;
        if (!info.restartHeldBack.isEmpty())
            o[u"restartHeldBack"_s] = info.restartHeldBack;
        write(u"exited"_s, process, o);
    });
    connect(engine, &ShardEngine::processStateChanged, this,
            [this](int process, ProcessState state) {
        write(u"state"_s, process, {{u"state"_s, processStateName(state)}});
    });
    connect(engine, &ShardEngine::ipcMessage, this,
            [this](int connection, int process, const QString &text) {
        write(u"ipcMessage"_s, process, {{u"connection"_s, connection}, {u"message"_s, text}});
    });
    connect(engine, &ShardEngine::gatewayFetched, this, [this](const GatewayInfo &info) {
        write(u"gateway"_s, -1,
              {{u"shards"_s, info.shards},
               {u"sessionRemaining"_s, info.sessionRemaining},
               {u"sessionTotal"_s, info.sessionTotal},
               {u"resetAfterMs"_s, info.resetAfterMs},
               {u"maxConcurrency"_s, info.maxConcurrency}});
    });
    connect(engine, &ShardEngine::gatewayFailed, this, [this](const QString &message) {
        write(u"gatewayError"_s, -1, {{u"message"_s, message}});
    });
    connect(engine, &ShardEngine::autoRestartsPausedChanged, this,
            [this](bool paused, const QString &reason) {
        write(u"autoRestarts"_s, -1,
              {{u"paused"_s, paused},
               {u"reason"_s, reason},
               {u"identifyBudget"_s, m_engine->status().identifyBudget}});
    });
    connect(engine, &ShardEngine::shardStateChanged, this,
            [this](int process, const ShardState &state) {
        QJsonObject o {
            {u"shard"_s, state.shard}, {u"state"_s, state.state}, {u"detail"_s, state.detail}};
        if (state.closeCode)
            o[u"closeCode"_s] = state.closeCode;
        write(u"shardState"_s, process, o);
    });
    connect(engine, &ShardEngine::startFailed, this, [this](const QString &message) {
        write(u"startFailed"_s, -1, {{u"message"_s, message}});
    });
    connect(engine, &ShardEngine::notice, this, [this](const QString &text) {
        write(u"notice"_s, -1, {{u"message"_s, text}});
    });
    connect(engine, &ShardEngine::logFileError, this, [this](const QString &text) {
        write(u"logError"_s, -1, {{u"message"_s, text}});
    });
}

void EventStream::writeStats()
{
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ResourceHistory &h = m_engine->resources(i);
        const ProcessView *p = m_engine->process(i);
        if (!h.hasSample || p->pid() <= 0)
            continue;
        write(u"stats"_s, i,
              {{u"pid"_s, p->pid()},
               {u"rss"_s, h.last.rssBytes},
               {u"cpu"_s, qRound(h.last.cpuPercent * 10) / 10.0},
               {u"threads"_s, h.last.threads}});
    }
}

void EventStream::write(const QString &event, int process, QJsonObject fields)
{
    fields[u"event"_s] = event;
    fields[u"time"_s] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (const ProcessView *p = m_engine->process(process)) {
        fields[u"process"_s] = process;
        fields[u"first"_s] = p->range().first;
        fields[u"last"_s] = p->range().last;
    }
    writeObject(fields);
}

void EventStream::writeObject(const QJsonObject &object)
{
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    m_out->write(line);
}
