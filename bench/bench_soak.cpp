// bench/soak: the real `shard-manager --headless --events json` under a long steady load: 50
// fakeshard children printing numbered lines (20 a second each), each ended every few minutes on
// average (SIGKILL or SIGTERM at random) and restarted by the manager, a broadcast every second
// on its stdin, and strangers (connections from this program, not a child) opening the IPC port
// and closing. It samples the manager's RSS and open descriptors, prints them as a table, then
// checks that both stayed flat after the warm-up and that the log file holds every line of every
// run of every child, in order. Exits 1 when a check fails.
//   build/bin/bench_soak [--duration SECONDS] [--processes N] [--rate LINES_PER_SEC]
//                        [--restart-every SECONDS] [--sample SECONDS] [--strangers PER_SEC]
//                        [--keep]

#include "output/linesplitter.h"
#include "soakcheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <signal.h>

using namespace Qt::StringLiterals;
using Soak::Incarnation;

namespace {

struct Options {
    int duration = 1800;
    int processes = 50;
    int rate = 20;
    int restartEvery = 180;
    int sample = 0; // 0: 10 s for runs up to 5 minutes, else 60 s
    int strangers = 5;
    bool keep = false;
};

qint64 rssKiB(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

int descriptors(qint64 pid)
{
    return int(
        QDir(u"/proc/%1/fd"_s.arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

class SoakRun : public QObject {
    Q_DISABLE_COPY_MOVE(SoakRun)

public:
    explicit SoakRun(const Options &options)
        : m_options(options)
        , m_runs(options.processes)
    {
    }

    bool start()
    {
        if (!m_dir.isValid())
            return false;
        m_dir.setAutoRemove(!m_options.keep);
        if (m_options.keep) { // the events too, to look into a failure
            m_eventLog.setFileName(m_dir.filePath(u"events.jsonl"_s));
            m_eventLog.open(QIODevice::WriteOnly);
        }
        QTcpServer probe; // a free port for the IPC server
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
        probe.close();
        QFile bot(m_dir.filePath(u"bot.lua"_s));
        bot.open(QIODevice::WriteOnly);
        const QJsonObject profile {
            {u"file"_s, bot.fileName()},
            {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)},
            {u"interpreterArgs"_s,
             QJsonArray {u"--pid"_s, u"--ipc-connect"_s, u"--ipc-echo"_s,
                         u"--ticks=%1"_s.arg(m_options.rate)}},
            {u"maxShards"_s, m_options.processes},
            {u"waitTime"_s, 20},
            {u"port"_s, m_port},
            {u"logFile"_s, m_dir.filePath(u"soak.log"_s)},
            {u"silent"_s, true},
            // Kills come at random: a few close together must not count as a crash loop.
            {u"maxRestarts"_s, 1000},
            {u"restartDelay"_s, 500},
            {u"restartDelayMax"_s, 2000},
            // With a token the manager asks Discord for gateway information: ask nobody instead.
            {u"discordApi"_s, u"http://127.0.0.1:9/api"_s}};
        QFile file(m_dir.filePath(u"soak.json"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(profile).toJson()) < 0)
            return false;
        file.close();

        connect(&m_manager, &QProcess::readyReadStandardOutput, this, &SoakRun::readEvents);
        connect(&m_manager, &QProcess::readyReadStandardError, this, [this] {
            std::fprintf(stderr, "%s", m_manager.readAllStandardError().constData());
        });
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // A token, so redaction runs on every line as it would for a real bot.
        env.insert(u"SOAK_TOKEN"_s,
                   u"soak.%1"_s.arg(QRandomGenerator::global()->generate64(), 0, 36));
        m_manager.setProcessEnvironment(env);
        m_manager.start(QStringLiteral(SHARDMANAGER_PATH),
                        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s,
                         u"SOAK_TOKEN"_s, u"--stats-interval"_s, u"60000"_s, file.fileName()});
        if (!m_manager.waitForStarted())
            return false;
        m_clock.start();
        for (int p = 0; p < m_options.processes; ++p)
            m_nextKill.append(nextKillAt());

        connect(&m_broadcastTimer, &QTimer::timeout, this, [this] {
            m_manager.write(QByteArray("bcast ") + QByteArray::number(++m_broadcasts) + '\n');
        });
        m_broadcastTimer.start(1000);
        connect(&m_killTimer, &QTimer::timeout, this, &SoakRun::killDue);
        m_killTimer.start(100);
        connect(&m_strangerTimer, &QTimer::timeout, this, &SoakRun::stranger);
        if (m_options.strangers > 0)
            m_strangerTimer.start(1000 / m_options.strangers);
        connect(&m_sampleTimer, &QTimer::timeout, this, [this] {
            if (m_sampleWaits == 0) // not while the last one still waits
                sample();
        });
        m_sampleTimer.start(sampleSeconds() * 1000);
        std::printf(
            "soak: %d processes, %d lines/s each, each ended every %d s on average, a broadcast"
            " each second, %d strangers/s, for %d s; manager pid %lld, port %d, files in %s\n",
            m_options.processes, m_options.rate, m_options.restartEvery, m_options.strangers,
            m_options.duration, m_manager.processId(), m_port, qPrintable(m_dir.path()));
        std::printf("%8s %10s %6s %8s %9s %11s\n", "time s", "RSS KiB", "fds", "running",
                    "restarts", "lines");
        std::fflush(stdout);
        return true;
    }

    int sampleSeconds() const
    {
        return m_options.sample > 0 ? m_options.sample : m_options.duration <= 300 ? 10 : 60;
    }

    int finish()
    {
        m_killTimer.stop();
        m_strangerTimer.stop();
        m_broadcastTimer.stop();
        m_stopping = true;
        m_manager.terminate();
        if (!m_manager.waitForFinished(60000)) {
            m_manager.kill();
            m_manager.waitForFinished();
            m_failures << u"the manager did not stop within 60 s of SIGTERM"_s;
        }
        readEvents();
        if (m_manager.exitStatus() != QProcess::NormalExit || m_manager.exitCode() != 0)
            m_failures << u"the manager exited with status %1, code %2"_s
                              .arg(int(m_manager.exitStatus()))
                              .arg(m_manager.exitCode());

        // The warm-up covers filling the manager's history of each process (2,000 lines), and a
        // sixth of a long run; never more than half of the run.
        Soak::FlatRule rule;
        rule.children = m_options.processes;
        rule.warmUpSeconds = std::min<qint64>(
            m_options.duration / 2, std::max(2000 / m_options.rate + 20, m_options.duration / 6));
        const Soak::FlatReport flat = Soak::checkFlat(m_samples, rule);
        std::printf("flat rule: %s\nflat figures: %s\n", qPrintable(rule.describe()),
                    qPrintable(flat.figures));
        m_failures << flat.failures;
        // A restart that the final stop caught before its first line is in no log; nothing else
        // may be missing.
        int unheard = 0;
        QList<QList<Incarnation>> logged = m_runs;
        for (auto &runs : logged) {
            unheard += int(runs.removeIf(
                [](const Incarnation &run) { return run.stoppedByManager && !run.sawOutput; }));
        }
        const Soak::LogReport log
            = Soak::checkLog(m_dir.filePath(u"soak.log"_s), logged, m_options.rate);
        m_failures << log.failures;

        int killed = 0, termed = 0;
        for (const auto &runs : std::as_const(m_runs)) {
            for (const Incarnation &run : runs) {
                killed += run.killedWith == SIGKILL;
                termed += run.killedWith == SIGTERM;
            }
        }
        std::printf(
            "children: %d runs in the log (%d ended by SIGKILL, %d by SIGTERM, %d stopped at the "
            "end"
            " before their first line); log: %lld lines, %lld "
            "numbered, %lld broadcasts echoed (%d sent); strangers: %d connected, %d closed by"
            " the manager, %d failed; %d notices from the manager\n",
            log.incarnations, killed, termed, unheard, log.lines, log.ticks, log.broadcasts,
            m_broadcasts, m_strangersConnected, m_strangersClosed, m_strangersFailed, m_notices);
        for (const QString &n : std::as_const(m_noticeKinds))
            std::printf("  notice: %s\n", qPrintable(n));
        for (const QString &f : std::as_const(m_failures))
            std::printf("FAIL: %s\n", qPrintable(f));
        std::printf("soak: %s\n", m_failures.isEmpty() ? "passed" : "FAILED");
        return m_failures.isEmpty() ? 0 : 1;
    }

private:
    qint64 nextKillAt()
    {
        const double u = QRandomGenerator::global()->generateDouble();
        return m_clock.elapsed() + qint64(-std::log(1.0 - u) * m_options.restartEvery * 1000.0);
    }

    void readEvents()
    {
        const QByteArray bytes = m_manager.readAllStandardOutput();
        if (m_eventLog.isOpen())
            m_eventLog.write(bytes);
        for (const QByteArray &line : m_events.feed(bytes)) {
            const QJsonObject e = QJsonDocument::fromJson(line).object();
            const QString event = e.value(u"event"_s).toString();
            const int p = e.value(u"process"_s).toInt(-1);
            QList<Incarnation> *runs = p >= 0 && p < m_runs.size() ? &m_runs[p] : nullptr;
            if (event == u"output"_s) {
                ++m_lines;
                if (runs && !runs->isEmpty())
                    runs->last().sawOutput = true;
            } else if (event == u"started"_s && runs) {
                Incarnation run;
                run.pid = e.value(u"pid"_s).toInteger();
                run.startedAtMs
                    = QDateTime::fromString(e.value(u"time"_s).toString(), Qt::ISODateWithMs)
                          .toMSecsSinceEpoch();
                runs->append(run);
                ++m_running;
            } else if (event == u"exited"_s && runs && !runs->isEmpty()) {
                Incarnation &run = runs->last();
                run.exited = true;
                run.stoppedByManager = e.value(u"requested"_s).toBool();
                --m_running;
                if (!e.value(u"restart"_s).toBool() && !m_stopping)
                    m_failures << u"process %1 was not restarted: %2"_s.arg(p).arg(
                        QString::fromUtf8(line));
            } else if (event == u"notice"_s || event == u"logError"_s
                       || event == u"startFailed"_s) {
                ++m_notices;
                // Keep a few kinds to show: the text up to its first digit.
                const QString message = e.value(u"message"_s).toString();
                const QString kind = message.left(message.indexOf(QRegularExpression(u"\\d"_s)));
                if (m_noticeKinds.size() < 5 && !m_noticeKinds.contains(kind))
                    m_noticeKinds << kind;
                if (event != u"notice"_s)
                    m_failures << event + u": "_s + message;
            }
        }
    }

    void killDue()
    {
        const qint64 now = m_clock.elapsed();
        for (int p = 0; p < m_runs.size(); ++p) {
            if (m_nextKill[p] > now || m_runs[p].isEmpty())
                continue;
            Incarnation &run = m_runs[p].last();
            // Only a child past its start-up, so each run has a line to check.
            if (run.exited || run.killedWith || !run.sawOutput)
                continue;
            run.killedWith = QRandomGenerator::global()->bounded(2) ? SIGKILL : SIGTERM;
            run.killedAtMs = QDateTime::currentMSecsSinceEpoch();
            ::kill(pid_t(run.pid), run.killedWith);
            ++m_restarts;
            m_nextKill[p] = nextKillAt();
        }
    }

    void stranger()
    {
        auto *socket = new QTcpSocket(this);
        connect(socket, &QTcpSocket::connected, this, [this, socket] {
            ++m_strangersConnected;
            socket->write("hello from a stranger\n");
            const int linger = QRandomGenerator::global()->bounded(500);
            QTimer::singleShot(linger, socket, [socket] {
                socket->disconnect();
                socket->abort();
                socket->deleteLater();
            });
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            ++m_strangersClosed;
            socket->disconnect();
            socket->deleteLater();
        });
        connect(socket, &QTcpSocket::errorOccurred, this,
                [this, socket](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::RemoteHostClosedError)
                return; // disconnected() follows
            ++m_strangersFailed;
            socket->disconnect();
            socket->deleteLater();
        });
        socket->connectToHost(QHostAddress::LocalHost, m_port);
    }

    // Samples are compared with each other, so each is taken with every child running (up to
    // 3 s late): a child between a kill and its restart holds no descriptors for that moment.
    void sample()
    {
        if (m_running < m_options.processes && m_sampleWaits < 30) {
            ++m_sampleWaits;
            QTimer::singleShot(100, this, &SoakRun::sample);
            return;
        }
        m_sampleWaits = 0;
        Soak::Sample s;
        s.atSeconds = (m_clock.elapsed() + 500) / 1000;
        s.rssKiB = rssKiB(m_manager.processId());
        s.descriptors = descriptors(m_manager.processId());
        s.running = m_running;
        s.restarts = m_restarts;
        s.lines = m_lines;
        m_samples.append(s);
        std::printf("%8lld %10lld %6d %8d %9d %11lld\n", s.atSeconds, s.rssKiB, s.descriptors,
                    s.running, s.restarts, s.lines);
        std::fflush(stdout);
        if (m_clock.elapsed() >= qint64(m_options.duration) * 1000 - 500)
            QCoreApplication::exit(finish());
    }

    Options m_options;
    QTemporaryDir m_dir {QDir::tempPath() + u"/shard-soak-XXXXXX"_s};
    QProcess m_manager;
    QFile m_eventLog;
    LineSplitter m_events;
    QElapsedTimer m_clock;
    quint16 m_port = 0;
    QTimer m_broadcastTimer, m_killTimer, m_strangerTimer, m_sampleTimer;
    QList<QList<Incarnation>> m_runs;
    QList<qint64> m_nextKill;
    QList<Soak::Sample> m_samples;
    QStringList m_failures, m_noticeKinds;
    int m_broadcasts = 0, m_running = 0, m_restarts = 0, m_notices = 0, m_sampleWaits = 0;
    int m_strangersConnected = 0, m_strangersClosed = 0, m_strangersFailed = 0;
    qint64 m_lines = 0;
    bool m_stopping = false;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Soak test of shard-manager --headless (see bench/README.md)."_s);
    parser.addHelpOption();
    const QList<QCommandLineOption> options {
        {u"duration"_s, u"Seconds to run (default 1800)."_s, u"seconds"_s, u"1800"_s},
        {u"processes"_s, u"Child processes (default 50)."_s, u"n"_s, u"50"_s},
        {u"rate"_s,
         u"Numbered lines per second per child (default 20; 100 in runs under 4 minutes)."_s,
         u"n"_s, u"0"_s},
        {u"restart-every"_s, u"Mean seconds between ends of one child (default 180)."_s,
         u"seconds"_s, u"180"_s},
        {u"sample"_s, u"Seconds between samples (default 10 up to 5 minutes, else 60)."_s,
         u"seconds"_s, u"0"_s},
        {u"strangers"_s, u"Stranger connections per second (default 5)."_s, u"n"_s, u"5"_s},
        {u"keep"_s, u"Keep the temporary folder: profile, log file, events (events.jsonl)."_s}};
    parser.addOptions(options);
    parser.process(app);
    Options o;
    o.duration = parser.value(u"duration"_s).toInt();
    o.processes = parser.value(u"processes"_s).toInt();
    o.rate = parser.value(u"rate"_s).toInt();
    // The manager's history of each process (2,000 lines) fills in 2000/rate s; in a short run it
    // must be full before the warm-up ends (half the run), or its filling looks like a leak.
    if (o.rate == 0)
        o.rate = o.duration < 240 ? 100 : 20;
    o.restartEvery = parser.value(u"restart-every"_s).toInt();
    o.sample = parser.value(u"sample"_s).toInt();
    o.strangers = std::clamp(parser.value(u"strangers"_s).toInt(), 0, 1000);
    o.keep = parser.isSet(u"keep"_s);
    if (o.duration < 20 || o.processes < 1 || o.rate < 1 || o.restartEvery < 1) {
        std::fprintf(stderr, "bench_soak: --duration needs at least 20, the others at least 1\n");
        return 2;
    }

    SoakRun soak(o);
    if (!soak.start()) {
        std::fprintf(stderr, "bench_soak: cannot start %s\n", SHARDMANAGER_PATH);
        return 2;
    }
    return app.exec();
}
