#include "service/metricsserver.h"

#include "diagnostics.h"
#include "engine/session.h"
#include "engine/shardengine.h"
#include "process/resourcemonitor.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
// A scrape's request is a line and a few headers; more, or slower, is not a scraper.
constexpr qsizetype kMaxRequestBytes = 8192;
constexpr int kRequestTimeoutMs = 10000;

// One metric family of the exposition format: its HELP and TYPE lines, then its samples.
class Page {
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_name = name;
        m_text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        m_text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
    // labels: "process=\"3\"" pairs already joined, or empty.
    void sample(const QByteArray &labels, qint64 value)
    {
        head(labels);
        m_text.append(QByteArray::number(value)).append('\n');
    }
    void sample(const QByteArray &labels, double value)
    {
        head(labels);
        m_text.append(QByteArray::number(value, 'f', 3)).append('\n');
    }
    QByteArray take() { return std::move(m_text); }

private:
    void head(const QByteArray &labels)
    {
        m_text.append(m_name);
        if (!labels.isEmpty())
            m_text.append('{').append(labels).append('}');
        m_text.append(' ');
    }

    QByteArray m_name;
    QByteArray m_text;
};

QByteArray label(const char *name, const QByteArray &value)
{
    // Label values escape backslash, quote and newline; ours are numbers and state names.
    QByteArray escaped = value;
    escaped.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return QByteArray(name) + "=\"" + escaped + '"';
}

} // namespace

MetricsServer::MetricsServer(ShardEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &MetricsServer::onConnection);
    connect(engine, &ShardEngine::processStarted, this, [this](int process, qint64) {
        Counts &c = m_counts[process];
        if (c.started)
            ++(c.lastExitRequested ? c.requestedRestarts : c.unexpectedRestarts);
        c.started = true;
    });
    connect(engine, &ShardEngine::processExited, this, [this](int process, const ExitInfo &info) {
        m_counts[process].lastExitRequested = info.requested;
    });
    connect(engine, &ShardEngine::outputRead, this,
            [this](int process, bool isStderr, const OutputBatch &batch) {
        Counts &c = m_counts[process];
        (isStderr ? c.stderrLines : c.stdoutLines) += batch.count;
    });
    connect(engine, &ShardEngine::ipcMessage, this, [this](int, int process, const QString &) {
        if (process >= 0)
            ++m_counts[process].ipcReceived;
    });
    // A new plan numbers its processes afresh.
    connect(engine, &ShardEngine::processesRebuilt, this, [this] { m_counts.clear(); });
}

MetricsServer::~MetricsServer() = default;

bool MetricsServer::parseAddress(const QString &text, QHostAddress *host, quint16 *port,
                                 QString *error)
{
    QString hostText = u"127.0.0.1"_s;
    QString portText = text;
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon >= 0) {
        hostText = text.left(colon);
        portText = text.mid(colon + 1);
        if (hostText.startsWith(u'[') && hostText.endsWith(u']'))
            hostText = hostText.mid(1, hostText.size() - 2);
    }
    bool ok = false;
    const uint number = portText.toUInt(&ok);
    if (!ok || number > 65535) {
        *error
            = tr("--metrics: the port must be a number from 0 to 65535 (got \"%1\")").arg(portText);
        return false;
    }
    if (!host->setAddress(hostText)) {
        *error = tr("--metrics: \"%1\" is not an IP address (give HOST:PORT, e.g. 127.0.0.1:9464)")
                     .arg(hostText);
        return false;
    }
    *port = quint16(number);
    return true;
}

bool MetricsServer::listen(const QString &address, QString *error)
{
    QHostAddress host;
    quint16 port = 0;
    if (!parseAddress(address, &host, &port, error))
        return false;
    if (!m_server->listen(host, port)) {
        *error = tr("--metrics: cannot listen on %1: %2").arg(address, m_server->errorString());
        return false;
    }
    return true;
}

QString MetricsServer::url() const
{
    const QHostAddress host = m_server->serverAddress();
    const QString hostText = host.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]"_s.arg(host.toString())
        : host.toString();
    return u"http://%1:%2/metrics"_s.arg(hostText).arg(m_server->serverPort());
}

void MetricsServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        // A client that never finishes its request is let go.
        QTimer::singleShot(kRequestTimeoutMs, socket, [socket] { socket->abort(); });
    }
}

void MetricsServer::onReadable(QTcpSocket *socket)
{
    if (socket->property("answered").toBool()) {
        socket->readAll();
        return;
    }
    QByteArray request = socket->property("request").toByteArray() + socket->readAll();
    if (request.size() > kMaxRequestBytes) {
        socket->abort();
        return;
    }
    const qsizetype end = request.indexOf("\r\n\r\n");
    if (end < 0) {
        socket->setProperty("request", request);
        return;
    }
    socket->setProperty("answered", true);
    const QList<QByteArray> words = request.left(request.indexOf("\r\n")).split(' ');
    QByteArray status = "200 OK";
    QByteArray body;
    QByteArray type = "text/plain; version=0.0.4; charset=utf-8";
    const QByteArray method = words.value(0);
    const QByteArray path = words.value(1).split('?').value(0);
    if (method != "GET" && method != "HEAD") {
        status = "405 Method Not Allowed";
        body = "only GET /metrics\n";
        type = "text/plain; charset=utf-8";
    } else if (path != "/metrics") {
        status = "404 Not Found";
        body = "the figures are at /metrics\n";
        type = "text/plain; charset=utf-8";
    } else {
        body = page();
    }
    QByteArray response = "HTTP/1.1 " + status + "\r\nContent-Type: " + type
        + "\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n";
    if (method != "HEAD")
        response += body;
    qCDebug(lcControl) << "metrics:" << method << path << status;
    socket->write(response);
    socket->disconnectFromHost();
}

QByteArray MetricsServer::page() const
{
    // Processes by their number in the whole plan: pods of one bot (cluster slices) do not
    // repeat each other's labels.
    const int offset = m_engine->processOffset();
    const auto processLabel
        = [offset](int process) { return label("process", QByteArray::number(process + offset)); };
    Page page;
    const int processes = m_engine->processCount();
    const RunStatus status = m_engine->status();

    page.family("shardmanager_processes", "gauge", "Processes in the plan of this service.");
    page.sample({}, qint64(processes));
    page.family("shardmanager_processes_running", "gauge", "Processes running now.");
    page.sample({}, qint64(status.running));
    if (status.identifyBudget >= 0) {
        page.family("shardmanager_identify_budget_remaining", "gauge",
                    "Session starts (identifies) Discord allows before its reset, as counted.");
        page.sample({}, qint64(status.identifyBudget));
    }
    if (m_engine->gatewayInfo().valid) {
        page.family("shardmanager_gateway_max_concurrency", "gauge",
                    "Identifies Discord allows per 5 seconds (max_concurrency).");
        page.sample({}, qint64(m_engine->gatewayInfo().maxConcurrency));
    }
    page.family("shardmanager_ipc_connections", "gauge", "Open IPC connections.");
    page.sample({}, qint64(status.ipcConnections));
    page.family("shardmanager_ipc_messages_sent_total", "counter",
                "IPC messages delivered to children, relays included (a broadcast counts once per "
                "child reached).");
    page.sample({}, m_engine->ipcMessagesSent());
    page.family("shardmanager_log_lines_written_total", "counter",
                "Lines the log file holds, since the session opened it.");
    page.sample({}, m_engine->session()->logLinesWritten());
    page.family("shardmanager_log_lines_dropped_total", "counter",
                "Lines the log file could not take (disk full or failing), since it was opened.");
    page.sample({}, m_engine->session()->logLinesDropped());

    page.family("shardmanager_process_info", "gauge", "Each process and its shard range.");
    for (int i = 0; i < processes; ++i) {
        const ShardRange &r = m_engine->process(i)->range();
        page.sample(processLabel(i) + ',' + label("first_shard", QByteArray::number(r.first)) + ','
                        + label("last_shard", QByteArray::number(r.last)),
                    qint64(1));
    }
    page.family("shardmanager_process_up", "gauge", "1 while the process runs.");
    for (int i = 0; i < processes; ++i)
        page.sample(processLabel(i),
                    qint64(m_engine->process(i)->state() == ProcessState::Running ? 1 : 0));
    page.family("shardmanager_process_state", "gauge",
                "The process's state: the series of its current state is 1.");
    for (int i = 0; i < processes; ++i)
        page.sample(processLabel(i) + ','
                        + label("state", processStateName(m_engine->process(i)->state()).toUtf8()),
                    qint64(1));
    page.family("shardmanager_process_restarts_total", "counter",
                "Starts after the first, by cause: an exit nobody asked for, or a request.");
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        page.sample(processLabel(it.key()) + ",cause=\"unexpected\"", it->unexpectedRestarts);
        page.sample(processLabel(it.key()) + ",cause=\"requested\"", it->requestedRestarts);
    }
    page.family("shardmanager_process_output_lines_total", "counter",
                "Lines the process printed, by stream.");
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        page.sample(processLabel(it.key()) + ",stream=\"stdout\"", it->stdoutLines);
        page.sample(processLabel(it.key()) + ",stream=\"stderr\"", it->stderrLines);
    }
    page.family("shardmanager_process_ipc_messages_received_total", "counter",
                "IPC messages the process sent to the manager.");
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        page.sample(processLabel(it.key()), it->ipcReceived);
    page.family("shardmanager_process_ipc_messages_sent_total", "counter",
                "IPC messages delivered to the process (sends, broadcasts and relays).");
    for (int i = 0; i < processes; ++i)
        page.sample(processLabel(i), m_engine->ipcMessagesSentTo(i));
    const QHash<int, LineLedger::Counts> logLines = m_engine->session()->logLinesByFirstShard();
    page.family("shardmanager_process_log_lines_written_total", "counter",
                "The process's lines the log file holds, since the session opened it.");
    for (int i = 0; i < processes; ++i)
        page.sample(processLabel(i), logLines.value(m_engine->process(i)->range().first).written);
    page.family("shardmanager_process_log_lines_dropped_total", "counter",
                "The process's lines the log file could not take, since it was opened.");
    for (int i = 0; i < processes; ++i)
        page.sample(processLabel(i), logLines.value(m_engine->process(i)->range().first).dropped);
    page.family("shardmanager_process_resident_memory_bytes", "gauge",
                "Resident memory of the process and its helpers (its process group).");
    for (int i = 0; i < processes; ++i) {
        const ResourceHistory &h = m_engine->resources(i);
        if (h.hasSample)
            page.sample(processLabel(i), h.last.rssBytes);
    }
    page.family("shardmanager_process_cpu_seconds_total", "counter",
                "CPU time of the process and its helpers, over all its runs.");
    for (int i = 0; i < processes; ++i) {
        const ResourceHistory &h = m_engine->resources(i);
        if (h.hasSample)
            page.sample(processLabel(i), h.cpuSeconds);
    }
    page.family("shardmanager_shard_gateway_state", "gauge",
                "Each shard's last gateway state read from the bot's log: its series is 1.");
    for (int i = 0; i < processes; ++i) {
        for (const ShardState &s : m_engine->shardStates(i))
            page.sample(label("shard", QByteArray::number(s.shard)) + ',' + processLabel(i) + ','
                            + label("state", s.state.toUtf8()),
                        qint64(1));
    }
    return page.take();
}
