#include "service/engineevents.h"

#include "engine/abstractengine.h"
#include "engine/shardengine.h"
#include "service/eventcodec.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

const QList<std::pair<QByteArray, QString>> &EngineEvents::signalEvents()
{
    static const QList<std::pair<QByteArray, QString>> table {
        {"processStarted", u"started"_s},
        {"linesRead", u"output"_s}, // and "errorOutput"
        {"outputRead", u"output"_s}, // the same lines as bytes
        {"processExited", u"exited"_s},
        {"processStateChanged", u"state"_s},
        {"processesAboutToBeRebuilt", u"plan"_s},
        {"processesRebuilt", u"plan"_s},
        {"notice", u"notice"_s},
        {"logFileError", u"logError"_s},
        {"sessionOpened", u"sessionOpened"_s},
        {"allStopped", u"allStopped"_s},
        {"ipcMessage", u"ipcMessage"_s},
        {"ipcConnectionsChanged", u"ipcConnections"_s},
        {"processReady", u"ready"_s},
        {"statsReceived", u"ipcStats"_s},
        {"gatewayFetched", u"gateway"_s},
        {"gatewayFailed", u"gatewayError"_s},
        {"autoRestartsPausedChanged", u"autoRestarts"_s},
        {"shardStateChanged", u"shardState"_s},
        {"startFailed", u"startFailed"_s},
        {"resourcesSampled", u"resources"_s},
    };
    return table;
}

EngineEvents::EngineEvents(AbstractEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    m_connectionsTimer.setSingleShot(true);
    m_connectionsTimer.setInterval(100);
    connect(&m_connectionsTimer, &QTimer::timeout, this, &EngineEvents::emitConnections);

    connect(engine, &AbstractEngine::processStarted, this, [this](int process, qint64 pid) {
        post(u"started"_s, process,
             {{u"pid"_s, pid}, {u"restarts"_s, m_engine->process(process)->restarts()}});
    });
    // The engine that runs the processes hands its lines over as bytes; a mirror as text.
    if (auto *local = qobject_cast<ShardEngine *>(engine)) {
        connect(local, &ShardEngine::outputRead, this, &EngineEvents::output);
    } else {
        connect(engine, &AbstractEngine::linesRead, this,
                [this](int process, bool isStderr, const QStringList &lines) {
            emit output(process, isStderr, OutputBatch::fromLines(lines));
        });
    }
    connect(engine, &AbstractEngine::processExited, this,
            [this](int process, const ExitInfo &info) {
        post(u"exited"_s, process, EventCodec::fromExit(info));
    });
    connect(engine, &AbstractEngine::processStateChanged, this,
            [this](int process, ProcessState state) {
        post(u"state"_s, process, {{u"state"_s, processStateName(state)}});
    });
    connect(engine, &AbstractEngine::processesRebuilt, this,
            [this] { emit event(make(u"plan"_s, -1, plan())); });
    connect(engine, &AbstractEngine::notice, this, [this](const QString &text) {
        post(u"notice"_s, -1, {{u"message"_s, text}});
    });
    connect(engine, &AbstractEngine::logFileError, this, [this](const QString &text) {
        post(u"logError"_s, -1, {{u"message"_s, text}});
    });
    connect(engine, &AbstractEngine::sessionOpened, this, [this] {
        const RunStatus status = m_engine->status();
        post(u"sessionOpened"_s, -1,
             {{u"ipcAddress"_s, status.ipcAddress}, {u"logFile"_s, status.logFile}});
    });
    connect(engine, &AbstractEngine::allStopped, this, [this] { post(u"allStopped"_s, -1, {}); });
    connect(engine, &AbstractEngine::ipcMessage, this,
            [this](int connection, int process, const QString &text) {
        EventCodec::IpcMessageEvent message;
        message.connection = connection;
        if (const ProcessView *p = m_engine->process(process)) {
            message.process = process;
            message.first = p->range().first;
            message.last = p->range().last;
        }
        emit ipcMessage(EventCodec::ipcMessageLine(message, text));
    });
    connect(engine, &AbstractEngine::ipcConnectionsChanged, this, [this] {
        if (!m_connectionsTimer.isActive())
            m_connectionsTimer.start();
    });
    connect(engine, &AbstractEngine::processReady, this,
            [this](int process) { post(u"ready"_s, process, {}); });
    connect(engine, &AbstractEngine::statsReceived, this,
            [this](int process, const QJsonObject &stats) {
        post(u"ipcStats"_s, process, {{u"stats"_s, stats}});
    });
    connect(engine, &AbstractEngine::gatewayFetched, this, [this](const GatewayInfo &info) {
        post(u"gateway"_s, -1, EventCodec::fromGateway(info));
    });
    connect(engine, &AbstractEngine::gatewayFailed, this, [this](const QString &message) {
        post(u"gatewayError"_s, -1, {{u"message"_s, message}});
    });
    connect(engine, &AbstractEngine::autoRestartsPausedChanged, this,
            [this](bool paused, const QString &reason) {
        post(u"autoRestarts"_s, -1,
             {{u"paused"_s, paused},
              {u"reason"_s, reason},
              {u"identifyBudget"_s, m_engine->status().identifyBudget}});
    });
    connect(engine, &AbstractEngine::shardStateChanged, this,
            [this](int process, const ShardState &state) {
        post(u"shardState"_s, process, EventCodec::fromShardState(state));
    });
    connect(engine, &AbstractEngine::startFailed, this, [this](const QString &message) {
        post(u"startFailed"_s, -1, {{u"message"_s, message}});
    });
    connect(engine, &AbstractEngine::resourcesSampled, this, [this] {
        QJsonArray samples;
        for (int i = 0; i < m_engine->processCount(); ++i) {
            const ResourceHistory &h = m_engine->resources(i);
            if (!h.hasSample || m_engine->process(i)->pid() <= 0)
                continue;
            QJsonArray sample = EventCodec::fromPoint(h.last);
            sample.prepend(i);
            samples.append(sample);
        }
        post(u"resources"_s, -1, {{u"samples"_s, samples}});
    });
}

EventCodec::OutputEvent EngineEvents::outputOf(int process, bool isStderr) const
{
    const ProcessView *p = m_engine->process(process);
    return {isStderr, process, p ? p->range().first : 0, p ? p->range().last : 0};
}

QJsonObject EngineEvents::make(const QString &name, int process, QJsonObject fields) const
{
    fields[u"event"_s] = name;
    fields[u"time"_s] = EventCodec::now();
    if (const ProcessView *p = m_engine->process(process)) {
        fields[u"process"_s] = process;
        fields[u"first"_s] = p->range().first;
        fields[u"last"_s] = p->range().last;
    }
    return fields;
}

void EngineEvents::post(const QString &name, int process, QJsonObject fields)
{
    emit event(make(name, process, std::move(fields)));
}

void EngineEvents::emitConnections()
{
    // Only the processes with a connection: a plan of thousands stays a short line.
    QJsonObject perProcess;
    for (int i = 0; i < m_engine->processCount(); ++i) {
        if (const int n = m_engine->ipcConnectionCount(i))
            perProcess.insert(QString::number(i), n);
    }
    post(u"ipcConnections"_s, -1,
         {{u"total"_s, m_engine->status().ipcConnections}, {u"processes"_s, perProcess}});
}

QList<QJsonObject> EngineEvents::stats() const
{
    QList<QJsonObject> list;
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ResourceHistory &h = m_engine->resources(i);
        const ProcessView *p = m_engine->process(i);
        if (!h.hasSample || p->pid() <= 0)
            continue;
        list.append(make(u"stats"_s, i,
                         {{u"pid"_s, p->pid()},
                          {u"rss"_s, h.last.rssBytes},
                          {u"cpu"_s, qRound(h.last.cpuPercent * 10) / 10.0},
                          {u"threads"_s, h.last.threads}}));
    }
    return list;
}

QJsonObject EngineEvents::plan() const
{
    QJsonArray processes;
    for (const ShardRange &r : m_engine->schedule())
        processes.append(QJsonObject {{u"process"_s, r.process},
                                      {u"first"_s, r.first},
                                      {u"last"_s, r.last},
                                      {u"startOffsetMs"_s, r.startOffsetMs}});
    return {{u"profile"_s, m_engine->profile().toJson()}, {u"processes"_s, processes}};
}
