// bench/headless: the IPC figures of issue 13 through the real `shard-manager --headless --events
// json`, with node children (the workloads people compare against discord.js):
//   bench_headless start [N]            N children (200) with waitTime 0, each connecting and
//                                       sending "up": the manager's CPU seconds and the wall time
//                                       until all N "up" messages came out as events
//   bench_headless fanin [N] [M]        N children (100) each send M messages (20000) after a "go"
//                                       on stdin: messages/s as seen in the events
//   bench_headless latency [N] [R]      N children (10) echo each broadcast; R rounds (2000) of one
//                                       stdin line: round trip p50/p99 (stdin to the echo's event)
//   bench_headless stdin [N] [M]        M lines (20000) poured into stdin, broadcast to N children
//                                       (100) that count them: the manager's peak RSS and the time
//   bench_headless ... --manager PATH   another shard-manager binary (a before/after comparison)
// Run it from a Release build; node must be in PATH.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The child: connects, then behaves as its mode says. Counting newlines in the raw buffers keeps
// the child cheap, so the figures are the manager's.
const char kChild[] = R"JS('use strict';
const net = require('net');
const [port, , , , mode, countText] = process.argv.slice(2);
const count = Number(countText || 0);
const s = net.connect(Number(port), '127.0.0.1');
s.setNoDelay(true);
let tail = '';
let got = 0;
s.on('connect', () => { if (mode === 'up') s.write('up\n'); });
s.on('data', (d) => {
  if (mode === 'sink') {
    for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1))
      if (++got === count) s.write('done\n');
    return;
  }
  tail += d.toString();
  let i;
  while ((i = tail.indexOf('\n')) >= 0) {
    const line = tail.slice(0, i);
    tail = tail.slice(i + 1);
    if (mode === 'echo') s.write(line + '\n');
    else if (mode === 'source' && line === 'go') send(0);
  }
});
function send(from) {
  const batch = 500;
  while (from < count) {
    let chunk = '';
    for (let k = 0; k < batch && from < count; ++k, ++from)
      chunk += 'message ' + from + ' of a child writing as fast as it can\n';
    if (!s.write(chunk)) { s.once('drain', () => send(from)); return; }
  }
}
s.on('error', () => process.exit(1));
)JS";

struct Run {
    QTemporaryDir dir;
    QProcess manager;
    QByteArray pending;
    std::function<void(const QByteArray &)> onEvent;

    bool start(const QString &managerPath, int children, const QStringList &arguments)
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        QFile child(dir.filePath(u"child.js"_s));
        if (!child.open(QIODevice::WriteOnly) || child.write(kChild) < 0)
            return false;
        child.close();
        const QJsonObject profile {{u"file"_s, child.fileName()},
                                   {u"interpreter"_s, u"node"_s},
                                   {u"maxShards"_s, children},
                                   {u"waitTime"_s, 0},
                                   {u"port"_s, port},
                                   {u"silent"_s, true},
                                   {u"arguments"_s, QJsonArray::fromStringList(arguments)},
                                   {u"discordApi"_s, u"http://127.0.0.1:9/api"_s}};
        QFile file(dir.filePath(u"bench.json"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(profile).toJson()) < 0)
            return false;
        file.close();
        QObject::connect(&manager, &QProcess::readyReadStandardOutput, &manager, [this] {
            pending += manager.readAllStandardOutput();
            qsizetype from = 0;
            for (qsizetype nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
                onEvent(QByteArray::fromRawData(pending.constData() + from, nl - from));
                from = nl + 1;
            }
            pending.remove(0, from);
        });
        manager.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"BENCH_TOKEN"_s, u"bench.token.not.a.real.one"_s);
        manager.setProcessEnvironment(env);
        manager.start(managerPath,
                      {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-from-env"_s,
                       u"BENCH_TOKEN"_s, u"--stats-interval"_s, u"600"_s, file.fileName()});
        return manager.waitForStarted();
    }

    // utime + stime of the manager alone, in seconds.
    double cpuSeconds() const
    {
        QFile f(u"/proc/%1/stat"_s.arg(manager.processId()));
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray stat = f.readAll();
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        return double(fields.at(11).toLongLong() + fields.at(12).toLongLong())
            / double(sysconf(_SC_CLK_TCK));
    }

    qint64 statusKiB(const char *key) const
    {
        QFile f(u"/proc/%1/status"_s.arg(manager.processId()));
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith(key))
                return line.mid(qstrlen(key)).trimmed().split(' ').first().toLongLong();
        return -1;
    }

    void waitUntil(const std::function<bool()> &done, int timeoutMs = 300000)
    {
        QElapsedTimer t;
        t.start();
        while (!done()) {
            if (t.elapsed() > timeoutMs || manager.state() != QProcess::Running)
                qFatal("bench: timed out or the manager ended");
            // A bench, not a test: pump the loop until the condition holds.
            manager.waitForReadyRead(5);
            QCoreApplication::processEvents();
        }
    }

    ~Run()
    {
        manager.terminate();
        if (!manager.waitForFinished(30000))
            manager.kill();
    }
};

bool isMessage(const QByteArray &event, const char *text)
{
    return event.contains("\"ipcMessage\"") && event.contains(text);
}

int startup(const QString &managerPath, int children)
{
    Run run;
    int up = 0;
    run.onEvent = [&](const QByteArray &e) { up += isMessage(e, "\"message\":\"up\"") ? 1 : 0; };
    QElapsedTimer t;
    t.start();
    if (!run.start(managerPath, children, {u"up"_s}))
        return 1;
    run.waitUntil([&] { return up >= children; });
    std::printf("start: %d node children, waitTime 0: all connected after %.2f s, manager CPU "
                "%.2f s\n",
                children, double(t.elapsed()) / 1000.0, run.cpuSeconds());
    return 0;
}

int fanIn(const QString &managerPath, int children, int messages)
{
    Run run;
    int up = 0;
    qint64 received = 0;
    run.onEvent = [&](const QByteArray &e) {
        if (e.contains("\"ipcConnections\""))
            up = QJsonDocument::fromJson(e).object().value(u"total"_s).toInt();
        else if (e.contains("\"ipcMessage\""))
            ++received;
    };
    if (!run.start(managerPath, children, {u"source"_s, QString::number(messages)}))
        return 1;
    run.waitUntil([&] { return up >= children; });
    const double cpuBefore = run.cpuSeconds();
    QElapsedTimer t;
    t.start();
    run.manager.write("go\n");
    const qint64 total = qint64(children) * messages;
    run.waitUntil([&] { return received >= total; });
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    std::printf("fan-in: %d children x %d messages as events in %.2f s: %.0f messages/s, manager "
                "CPU %.2f s\n",
                children, messages, seconds, double(total) / seconds, run.cpuSeconds() - cpuBefore);
    return 0;
}

int latency(const QString &managerPath, int children, int rounds)
{
    Run run;
    int up = 0;
    int echoed = 0;
    QByteArray expect;
    QElapsedTimer t;
    QList<double> samples;
    run.onEvent = [&](const QByteArray &e) {
        if (e.contains("\"ipcConnections\""))
            up = QJsonDocument::fromJson(e).object().value(u"total"_s).toInt();
        else if (!expect.isEmpty() && isMessage(e, expect.constData())) {
            samples.append(double(t.nsecsElapsed()) / 1e6);
            ++echoed;
        }
    };
    if (!run.start(managerPath, children, {u"echo"_s}))
        return 1;
    run.waitUntil([&] { return up >= children; });
    for (int r = 0; r < rounds; ++r) {
        expect = "\"message\":\"ping " + QByteArray::number(r) + '"';
        echoed = 0;
        t.start();
        run.manager.write("ping " + QByteArray::number(r) + '\n');
        run.waitUntil([&] { return echoed >= children; });
    }
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double q) { return samples.at(qsizetype(q * double(samples.size() - 1))); };
    std::printf("latency: %d children, %d rounds: stdin line to echo event p50 %.3f ms, p99 %.3f "
                "ms, max %.3f ms\n",
                children, rounds, at(0.5), at(0.99), samples.last());
    return 0;
}

int stdinFanOut(const QString &managerPath, int children, int lines)
{
    Run run;
    int up = 0;
    int done = 0;
    run.onEvent = [&](const QByteArray &e) {
        if (e.contains("\"ipcConnections\""))
            up = QJsonDocument::fromJson(e).object().value(u"total"_s).toInt();
        else if (isMessage(e, "\"message\":\"done\""))
            ++done;
    };
    if (!run.start(managerPath, children, {u"sink"_s, QString::number(lines)}))
        return 1;
    run.waitUntil([&] { return up >= children; });
    const qint64 before = run.statusKiB("VmRSS:");
    QByteArray all;
    for (int i = 0; i < lines; ++i)
        all += "broadcast " + QByteArray::number(i)
            + " of a bench pouring into stdin, padded "
              "to about a hundred bytes with some text\n";
    QElapsedTimer t;
    t.start();
    run.manager.write(all);
    run.waitUntil([&] { return done >= children; });
    std::printf("stdin fan-out: %d lines to %d children = %lld deliveries in %.2f s; manager RSS "
                "%lld KiB before, peak %lld KiB\n",
                lines, children, qint64(lines) * children, double(t.elapsed()) / 1000.0, before,
                run.statusKiB("VmHWM:"));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({u"manager"_s, u"The shard-manager to measure."_s, u"path"_s,
                      QCoreApplication::applicationDirPath() + u"/shard-manager"_s});
    parser.addPositionalArgument(u"workload"_s, u"start, fanin, latency or stdin"_s);
    parser.addHelpOption();
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    const QString manager = parser.value(u"manager"_s);
    const auto number
        = [&](int i, int fallback) { return args.size() > i ? args.at(i).toInt() : fallback; };
    const QString workload = args.value(0);
    if (workload == u"start"_s)
        return startup(manager, number(1, 200));
    if (workload == u"fanin"_s)
        return fanIn(manager, number(1, 100), number(2, 20000));
    if (workload == u"latency"_s)
        return latency(manager, number(1, 10), number(2, 2000));
    if (workload == u"stdin"_s)
        return stdinFanOut(manager, number(1, 100), number(2, 20000));
    parser.showHelp(64);
}
