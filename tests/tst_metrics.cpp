// `--metrics HOST:PORT` (issue 15): a real service serves /metrics in the Prometheus text format;
// promtool accepts a live scrape, and each figure moves when it should (lines printed, IPC in and
// out, a crash, a requested restart, memory, shard states). Hostile requests get an answer and
// leave the service running.

#include "controlprobe.h"
#include "managerprocess.h"
#include "service/metricsserver.h"
#include "testbot.h"

#include <QDir>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {
struct Response {
    QByteArray status; // "HTTP/1.1 200 OK"
    QByteArray body;
};

Response get(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(request);
    QByteArray all;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(5000))
        all += socket.readAll();
    all += socket.readAll();
    const qsizetype end = all.indexOf("\r\n\r\n");
    return {all.left(all.indexOf("\r\n")), end < 0 ? QByteArray() : all.mid(end + 4)};
}

// The value of one series ("name{labels}") on a page, or -1 when it is not there.
double valueOf(const QByteArray &page, const QByteArray &series)
{
    for (const QByteArray &line : page.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}
} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private slots:
    void init();
    void addressesAreParsed();
    void scrapeIsValidAndFiguresMove();
    void strangeRequestsAreAnswered();
    void aSliceLabelsProcessesAsInTheWholePlan();

private:
    std::unique_ptr<Manager> startService();
    quint16 portOf(const Manager &service) const;
    QByteArray scrape(quint16 port) { return get(port, "GET /metrics HTTP/1.1\r\n\r\n").body; }

    std::unique_ptr<QTemporaryDir> m_runtime;
    TestBot m_bot;
};

void TestMetrics::init()
{
    m_runtime = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runtime->isValid() && m_bot.isValid());
}

void TestMetrics::addressesAreParsed()
{
    QHostAddress host;
    quint16 port = 0;
    QString error;
    QVERIFY(MetricsServer::parseAddress(u"9464"_s, &host, &port, &error));
    QCOMPARE(host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(port, 9464);
    QVERIFY(MetricsServer::parseAddress(u"0.0.0.0:80"_s, &host, &port, &error));
    QCOMPARE(host, QHostAddress(QHostAddress::AnyIPv4));
    QVERIFY(MetricsServer::parseAddress(u"[::1]:9100"_s, &host, &port, &error));
    QCOMPARE(host, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(port, 9100);
    QVERIFY(!MetricsServer::parseAddress(u"localhost:99999"_s, &host, &port, &error));
    QVERIFY(error.contains(u"99999"_s));
    QVERIFY(!MetricsServer::parseAddress(u"example:9464"_s, &host, &port, &error));
    QVERIFY(error.contains(u"example"_s));
}

std::unique_ptr<Manager> TestMetrics::startService()
{
    const QString profile = m_bot.write(
        {{u"maxShards"_s, 2},
         {u"autoRestart"_s, true},
         {u"restartDelay"_s, 100},
         {u"logFile"_s, u"bot.log"_s},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=Shard ${SHARDER_FIRST_SHARD} : Received READY"_s, u"--lines=5"_s,
                      u"--ipc-connect"_s, u"--ipc-hello"_s, u"--ipc-send=hi"_s, u"--run"_s}}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    env.insert(u"METRICS_TEST_TOKEN"_s, u"a.b.c"_s);
    return std::make_unique<Manager>(QStringList {u"--headless"_s, u"--events"_s, u"json"_s,
                                                  u"--token-from-env"_s, u"METRICS_TEST_TOKEN"_s,
                                                  u"--metrics"_s, u"127.0.0.1:0"_s, profile},
                                     true, env);
}

quint16 TestMetrics::portOf(const Manager &service) const
{
    static const QRegularExpression url(u"metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics"_s);
    return quint16(url.match(service.err()).captured(1).toUInt());
}

void TestMetrics::scrapeIsValidAndFiguresMove()
{
    const std::unique_ptr<Manager> service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(portOf(*service) > 0, 10000);
    const quint16 port = portOf(*service);

    // Each process printed its shard line and 5 more, said one thing over IPC, and the log file
    // holds all 12 lines.
    QByteArray page;
    const auto settled = [&] {
        page = scrape(port);
        return valueOf(page,
                       R"(shardmanager_process_output_lines_total{process="1",stream="stdout"})")
            == 6
            && valueOf(page, R"(shardmanager_process_ipc_messages_received_total{process="1"})")
            == 1
            && valueOf(page, "shardmanager_log_lines_written_total") == 12
            && valueOf(page, R"(shardmanager_process_log_lines_written_total{process="0"})") == 6
            && valueOf(page, R"(shardmanager_process_log_lines_written_total{process="1"})") == 6
            && valueOf(page, R"(shardmanager_process_resident_memory_bytes{process="0"})") > 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 10000);
    QCOMPARE(
        valueOf(page, R"(shardmanager_process_output_lines_total{process="0",stream="stdout"})"),
        6);
    QCOMPARE(valueOf(page, R"(shardmanager_process_up{process="0"})"), 1);
    QCOMPARE(
        valueOf(page, R"(shardmanager_process_info{process="1",first_shard="1",last_shard="1"})"),
        1);
    QCOMPARE(
        valueOf(page, R"(shardmanager_shard_gateway_state{shard="1",process="1",state="ready"})"),
        1);
    QVERIFY(valueOf(page, R"(shardmanager_process_cpu_seconds_total{process="0"})") >= 0);
    QCOMPARE(valueOf(page, "shardmanager_log_lines_dropped_total"), 0);
    QCOMPARE(valueOf(page, R"(shardmanager_process_log_lines_dropped_total{process="1"})"), 0);
    QCOMPARE(valueOf(page, R"(shardmanager_process_ipc_messages_sent_total{process="1"})"), 0);
    QVERIFY(!page.contains("a.b.c"));

    // promtool (Debian's prometheus package) takes the live page as valid exposition text.
    const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
    if (promtool.isEmpty())
        qWarning("promtool not installed (package prometheus): the format check is skipped");
    else {
        QProcess check;
        check.start(promtool, {u"check"_s, u"metrics"_s});
        check.write(page);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
    }

    // A crash is an unexpected restart; the output counter goes on across runs.
    const QList<QJsonObject> started = service->events(u"started"_s);
    QCOMPARE(started.size(), 2);
    for (const QJsonObject &event : started) {
        if (event.value(u"process"_s).toInt() == 0)
            ::kill(pid_t(event.value(u"pid"_s).toInteger()), SIGKILL);
    }
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(port),
                R"(shardmanager_process_restarts_total{process="0",cause="unexpected"})"),
        1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(port),
                R"(shardmanager_process_output_lines_total{process="0",stream="stdout"})"),
        12, 10000);

    // A restart asked for over the control socket is a requested one; a broadcast is sent to both.
    const QDir folder(m_runtime->filePath(u"shard-manager"_s));
    const QStringList sockets = folder.entryList({u"*.sock"_s}, QDir::System);
    QCOMPARE(sockets.size(), 1);
    ControlProbe client(folder.filePath(sockets.first()));
    QVERIFY(client.isConnected());
    client.send({{u"command"_s, u"restart"_s}, {u"process"_s, 1}});
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(port),
                R"(shardmanager_process_restarts_total{process="1",cause="requested"})"),
        1, 10000);
    page = scrape(port);
    QCOMPARE(
        valueOf(page, R"(shardmanager_process_restarts_total{process="1",cause="unexpected"})"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(scrape(port), "shardmanager_ipc_connections"), 2, 10000);
    client.send({{u"command"_s, u"broadcast"_s}, {u"message"_s, u"hello"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(scrape(port), "shardmanager_ipc_messages_sent_total"), 2,
                              10000);
    // Per process: the broadcast reached each once; a send reaches only its process.
    client.send({{u"command"_s, u"send"_s}, {u"process"_s, 0}, {u"message"_s, u"only you"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(port), R"(shardmanager_process_ipc_messages_sent_total{process="0"})"), 2,
        10000);
    page = scrape(port);
    QCOMPARE(valueOf(page, R"(shardmanager_process_ipc_messages_sent_total{process="1"})"), 1);
    QCOMPARE(valueOf(page, "shardmanager_ipc_messages_sent_total"), 3);
    // The crashed and restarted process's lines of both runs reach the file (flushed each second).
    QTRY_COMPARE_WITH_TIMEOUT(
        valueOf(scrape(port), R"(shardmanager_process_log_lines_written_total{process="0"})"), 12,
        10000);

    service->sendSignal(SIGTERM);
    QVERIFY(service->finish());
    QVERIFY(service->exitedCleanly());
}

void TestMetrics::strangeRequestsAreAnswered()
{
    const std::unique_ptr<Manager> service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(portOf(*service) > 0, 10000);
    const quint16 port = portOf(*service);
    // A client that connects and says nothing holds nothing up.
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(silent.waitForConnected(3000));
    QCOMPARE(get(port, "GET / HTTP/1.1\r\n\r\n").status, "HTTP/1.1 404 Not Found");
    QCOMPARE(get(port, "POST /metrics HTTP/1.1\r\n\r\n").status, "HTTP/1.1 405 Method Not Allowed");
    const Response head = get(port, "HEAD /metrics HTTP/1.0\r\n\r\n");
    QCOMPARE(head.status, "HTTP/1.1 200 OK");
    QVERIFY(head.body.isEmpty());
    // A request that never ends is cut off at 8 KiB.
    QCOMPARE(get(port, "GET /metrics HTTP/1.1\r\nX: " + QByteArray(20000, 'x')).status,
             QByteArray());
    QVERIFY(service->running());
    QVERIFY(scrape(port).contains("shardmanager_processes 2"));
    service->sendSignal(SIGTERM);
    QVERIFY(service->finish());
    QVERIFY(service->exitedCleanly());
}

void TestMetrics::aSliceLabelsProcessesAsInTheWholePlan()
{
    // Slice 1 of 2 of a plan of 2 processes runs the whole plan's process 1 (shard 1).
    const QString profile = m_bot.write({{u"maxShards"_s, 2}});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    env.insert(u"METRICS_TEST_TOKEN"_s, u"a.b.c"_s);
    Manager service({u"--headless"_s, u"--token-from-env"_s, u"METRICS_TEST_TOKEN"_s,
                     u"--cluster-index"_s, u"1"_s, u"--cluster-size"_s, u"2"_s, u"--metrics"_s,
                     u"127.0.0.1:0"_s, profile},
                    true, env);
    QTRY_VERIFY_WITH_TIMEOUT(portOf(service) > 0, 10000);
    QByteArray page;
    QTRY_VERIFY_WITH_TIMEOUT(
        valueOf(page = scrape(portOf(service)), R"(shardmanager_process_up{process="1"})") == 1,
        10000);
    QCOMPARE(valueOf(page, "shardmanager_processes"), 1);
    QCOMPARE(
        valueOf(page, R"(shardmanager_process_info{process="1",first_shard="1",last_shard="1"})"),
        1);
    QVERIFY(!page.contains(R"(process="0")"));
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
