// bench/gui-flood: how the window holds up while every process floods it with output.
// Run by hand, under QT_QPA_PLATFORM=offscreen or xvfb-run -a:
//   build/bin/bench_guiflood [--seconds S] [--processes N] [--rate LINES_PER_SEC] [--panes K]
// The real engine and window run fakeshard as N processes (default 10), each printing RATE lines
// per second (default 50,000) for S seconds (default 30), with a log file, the All pane shown and
// K process panes open (default 3). Prints one summary: the lateness of a 10 ms timer (p50, p99,
// max), the manager's resident memory (VmRSS samples, VmHWM), lines the engine received and lines
// in the log file after the stop, each against the lines printed. With --profile, also where the
// event loop's time went: each top-level event timed, by what handled it.

#include "engine/shardengine.h"
#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "nosecrets.h"
#include "process/shardprocess.h" // the timer profile attributes timers to the processes
#include "processtablemodel.h"
#include "secrets/secretbackend.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <tuple>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Times every event handled at the top of the event loop (nested ones count in their parent),
// keyed by what handled it: a member QTimer is named after the object it lies in.
class ProfilingApplication : public QApplication {
public:
    using QApplication::QApplication;

    bool profiling = false;
    std::vector<std::pair<const QObject *, size_t>>
        owners; // object, its size: a timer inside is its

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!profiling || m_depth > 0) {
            ++m_depth;
            const bool result = QApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        // Keyed before the call: the receiver may be gone after it (DeferredDelete).
        const Key key = keyOf(receiver, event);
        QElapsedTimer timer;
        timer.start();
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        auto &[ns, count] = m_spent[key];
        ns += timer.nsecsElapsed();
        ++count;
        return result;
    }

    // What handled the events -> (ns, count).
    std::map<QString, std::pair<qint64, qint64>> spent() const
    {
        std::map<QString, std::pair<qint64, qint64>> out;
        for (const auto &[key, cost] : m_spent) {
            QString what;
            if (key.owner >= 0) {
                const QObject *owner = owners[size_t(key.owner)].first;
                what = u"timer in "_s + QString::fromLatin1(owner->metaObject()->className());
            } else {
                what = QString::fromLatin1(key.meta->className());
                if (key.type == QEvent::SockAct)
                    what += u" activated (child output, IPC)"_s;
                else if (key.type == QEvent::MetaCall)
                    what += u" queued call"_s;
                else if (key.type == QEvent::Timer)
                    what += u" timer"_s;
                else
                    what += u" event "_s + QString::number(key.type);
            }
            auto &[ns, count] = out[what];
            ns += cost.first;
            count += cost.second;
        }
        return out;
    }

private:
    struct Key {
        const QMetaObject *meta;
        int type;
        int owner; // index in owners of the object a QTimer lies in, -1 for none
        bool operator<(const Key &o) const
        {
            return std::tie(meta, type, owner) < std::tie(o.meta, o.type, o.owner);
        }
    };

    Key keyOf(const QObject *receiver, const QEvent *event) const
    {
        const int type = int(event->type());
        int owner = -1;
        if (type == QEvent::Timer && qobject_cast<const QTimer *>(receiver)) {
            const auto *at = reinterpret_cast<const char *>(receiver);
            for (size_t i = 0; i < owners.size(); ++i) {
                const auto *begin = reinterpret_cast<const char *>(owners[i].first);
                if (at >= begin && at < begin + owners[i].second)
                    owner = int(i);
            }
        }
        return {receiver->metaObject(), type, owner};
    }

    int m_depth = 0;
    std::map<Key, std::pair<qint64, qint64>> m_spent;
};

struct Options {
    int seconds = 30;
    int processes = 10;
    int rate = 50000;
    int panes = 3;
    bool keep = false;
    bool profile = false;
};

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), -1 when unreadable.
qint64 statusKiB(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

double cpuSeconds(int who)
{
    rusage usage {};
    getrusage(who, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

qint64 countLines(const QString &path, qint64 *bytes)
{
    QFile f(path);
    *bytes = f.size();
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 lines = 0;
    while (!f.atEnd())
        lines += f.read(4 << 20).count('\n');
    return lines;
}

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    return sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5))];
}

QString megabytes(qint64 kib)
{
    return u"%1 MB"_s.arg(double(kib) / 1024.0, 0, 'f', 0);
}

Options parseOptions(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Floods the window with fakeshard output and prints its lag, "
                                     "memory and line counts."_s);
    parser.addHelpOption();
    const QCommandLineOption seconds(u"seconds"_s, u"How long each process prints (30)."_s, u"S"_s,
                                     u"30"_s);
    const QCommandLineOption processes(u"processes"_s, u"Processes (10)."_s, u"N"_s, u"10"_s);
    const QCommandLineOption rate(u"rate"_s, u"Lines per second per process (50000)."_s, u"LINES"_s,
                                  u"50000"_s);
    const QCommandLineOption panes(u"panes"_s, u"Process panes opened beside All (3)."_s, u"K"_s,
                                   u"3"_s);
    const QCommandLineOption keep(u"keep"_s, u"Keep the temporary folder (profile, log file)."_s);
    const QCommandLineOption profile(u"profile"_s,
                                     u"Also print where the event loop's time went."_s);
    parser.addOptions({seconds, processes, rate, panes, keep, profile});
    parser.process(app);
    const auto number = [&parser](const QCommandLineOption &option, int min) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < min) {
            std::fprintf(stderr, "bench_guiflood: --%s needs a number >= %d\n",
                         qPrintable(option.names().first()), min);
            std::exit(64);
        }
        return value;
    };
    return {number(seconds, 1), number(processes, 1), number(rate, 1),
            number(panes, 0),   parser.isSet(keep),   parser.isSet(profile)};
}

} // namespace

int main(int argc, char **argv)
{
    ProfilingApplication app(argc, argv);
    // Window state and recent profiles go to a test location, never the user's settings.
    QStandardPaths::setTestModeEnabled(true);
    const Options opt = parseOptions(app);
    const qint64 expected = qint64(opt.processes) * opt.rate * opt.seconds;

    QTemporaryDir dir;
    if (!dir.isValid())
        qFatal("bench: no temporary folder");
    dir.setAutoRemove(!opt.keep);
    QFile(dir.filePath(u"bot.lua"_s)).open(QIODevice::WriteOnly);
    const QJsonObject profile {
        {u"file"_s, u"bot.lua"_s},
        {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)},
        {u"interpreterArgs"_s,
         QJsonArray {u"--rate=%1"_s.arg(opt.rate),
                     u"--lines=%1"_s.arg(qint64(opt.rate) * opt.seconds)}},
        {u"port"_s, freePort()},
        {u"maxShards"_s, opt.processes},
        {u"shardsPerProcess"_s, 1},
        {u"waitTime"_s, 0},
        {u"silent"_s, true},
        {u"autoRestart"_s, false},
        {u"logFile"_s, u"flood.log"_s},
    };
    const QString profilePath = dir.filePath(u"flood.json"_s);
    QFile profileFile(profilePath);
    if (!profileFile.open(QIODevice::WriteOnly)
        || profileFile.write(QJsonDocument(profile).toJson()) < 0)
        qFatal("bench: cannot write %s", qPrintable(profilePath));
    profileFile.close();

    ShardEngine engine;
    // Brackets the window's handlers of linesRead: connected before the window's, and after.
    QElapsedTimer handlerClock;
    qint64 handlersNs = 0;
    QObject::connect(&engine, &ShardEngine::linesRead, &app,
                     [&handlerClock] { handlerClock.start(); });
    NoSecrets secrets;
    MainWindow window(&engine, &secrets);
    window.show();
    if (!window.openProfile(profilePath))
        qFatal("bench: the profile did not open");

    qint64 received = 0;
    qint64 allDropped = 0; // by the All pane, shedding what it cannot draw in time
    QObject::connect(&engine, &ShardEngine::linesRead, &app,
                     [&](int, bool, const QStringList &lines) {
        handlersNs += handlerClock.nsecsElapsed();
        received += lines.size();
    });
    if (opt.profile) {
        if (const auto *model = window.findChild<ProcessTableModel *>())
            app.owners.emplace_back(model, sizeof(ProcessTableModel));
        app.owners.emplace_back(&engine, sizeof(ShardEngine));
    }

    // Each tick's lateness against the one before: a stall is counted once, where it happened.
    constexpr qint64 kProbeMs = 10;
    std::vector<double> lateMs;
    lateMs.reserve(size_t(opt.seconds) * 200);
    qint64 peakSampledKiB = 0;
    QElapsedTimer clock;
    qint64 lastTick = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(int(kProbeMs));
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateMs.push_back(std::max<double>(0, double(now - lastTick) / 1e6 - double(kProbeMs)));
        lastTick = now;
        if (lateMs.size() % 10 == 0)
            peakSampledKiB = std::max(peakSampledKiB, statusKiB("VmRSS"));
    });

    const qint64 rssBeforeKiB = statusKiB("VmRSS");
    const double cpuBefore = cpuSeconds(RUSAGE_SELF);
    bool timedOut = false;
    QObject::connect(&engine, &ShardEngine::allStopped, &app, [&] { app.quit(); });
    // Children held back by a slow reader take longer than S; past this, something is stuck.
    QTimer::singleShot(std::chrono::seconds(opt.seconds * 4 + 60), &app, [&] {
        timedOut = true;
        engine.killAll();
    });
    QTimer::singleShot(0, &app, [&] {
        clock.start();
        lastTick = 0;
        probe.start();
        app.profiling = opt.profile;
        window.startAll();
        // After the start: it rebuilds the processes, which closes their panes.
        for (int i = 0; i < std::min(opt.panes, opt.processes); ++i)
            window.logTabs()->openProcess(i);
        window.logTabs()->setCurrentWidget(window.logTabs()->allPane());
        QObject::connect(window.logTabs()->allPane(), &LogPane::droppedLines, &app,
                         [&allDropped](int count) { allDropped += count; });
        if (opt.profile) {
            for (const LogPane *pane : window.findChildren<LogPane *>())
                app.owners.emplace_back(pane, sizeof(LogPane));
            // The engine's own objects, not its read-only face: the profile looks inside them.
            for (const ShardProcess *process :
                 engine.findChildren<ShardProcess *>(Qt::FindDirectChildrenOnly))
                app.owners.emplace_back(process, sizeof(ShardProcess));
        }
    });
    app.exec();
    app.profiling = false;
    probe.stop();
    const double wallSeconds = double(clock.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds(RUSAGE_SELF) - cpuBefore;
    const qint64 rssEndKiB = statusKiB("VmRSS");
    const qint64 hwmKiB = statusKiB("VmHWM");

    int openPanes = 0;
    for (int i = 0; i < engine.processCount(); ++i)
        openPanes += window.logTabs()->processPane(i) ? 1 : 0;

    qint64 logBytes = 0;
    const qint64 logLines = countLines(dir.filePath(u"flood.log"_s), &logBytes);
    std::vector<double> sorted = lateMs;
    std::sort(sorted.begin(), sorted.end());

    QStringList command;
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        command << u"QT_QPA_PLATFORM=%1"_s.arg(qEnvironmentVariable("QT_QPA_PLATFORM"));
    for (const QString &arg : QCoreApplication::arguments())
        command << arg;
    const auto line = [](const QString &label, const QString &text) {
        std::printf("%-12s %s\n", qPrintable(label), qPrintable(text));
    };
    std::printf("== bench_guiflood ==\n");
    line(u"command:"_s, command.join(u' '));
    line(u"build:"_s,
         u"%1, Qt %2, platform %3%4"_s.arg(
             QStringLiteral(BENCH_BUILD_TYPE), QString::fromLatin1(qVersion()),
             QGuiApplication::platformName(),
             qEnvironmentVariableIsSet("DISPLAY")
                 ? u" (DISPLAY=%1)"_s.arg(qEnvironmentVariable("DISPLAY"))
                 : QString()));
    line(u"load:"_s,
         u"%1 processes x %2 lines/s x %3 s = %4 lines; All pane shown, %5 process panes open"_s
             .arg(opt.processes)
             .arg(opt.rate)
             .arg(opt.seconds)
             .arg(expected)
             .arg(openPanes));
    line(u"run:"_s,
         u"%1 s from start to all stopped%2; manager CPU %3 s (%4% of one core), children %5 s"_s
             .arg(wallSeconds, 0, 'f', 1)
             .arg(timedOut ? u" (TIMED OUT, killed)"_s : QString())
             .arg(cpu, 0, 'f', 1)
             .arg(100.0 * cpu / wallSeconds, 0, 'f', 0)
             .arg(cpuSeconds(RUSAGE_CHILDREN), 0, 'f', 1));
    line(u"event loop:"_s,
         u"%1 ms timer, %2 ticks, lateness p50 %3 ms, p99 %4 ms, max %5 ms"_s.arg(kProbeMs)
             .arg(sorted.size())
             .arg(percentile(sorted, 0.50), 0, 'f', 1)
             .arg(percentile(sorted, 0.99), 0, 'f', 1)
             .arg(sorted.empty() ? 0.0 : sorted.back(), 0, 'f', 1));
    line(u"memory:"_s,
         u"VmRSS %1 before start, %2 peak sampled, %3 at end; VmHWM %4"_s.arg(
             megabytes(rssBeforeKiB), megabytes(peakSampledKiB), megabytes(rssEndKiB),
             megabytes(hwmKiB)));
    line(u"engine:"_s,
         u"%1 of %2 lines received%3"_s.arg(received).arg(expected).arg(
             received == expected ? u" (all)"_s : u" (MISSING %1)"_s.arg(expected - received)));
    line(u"All pane:"_s,
         u"%1 lines shown at the end; %2 lines dropped in the flood (not drawn in time)"_s
             .arg(window.logTabs()->allPane()->lineCount())
             .arg(allDropped));
    line(
        u"log file:"_s,
        u"%1 of %2 lines after the stop%5, %3 MB%4"_s.arg(logLines)
            .arg(expected)
            .arg(double(logBytes) / 1e6, 0, 'f', 0)
            .arg(opt.keep ? u", kept in "_s + dir.path() : QString())
            .arg(logLines == expected ? u" (all)"_s : u" (MISSING %1)"_s.arg(expected - logLines)));
    if (opt.profile) {
        std::printf("where the event loop's time went (top-level events, by handler):\n");
        const auto spent = app.spent();
        std::vector<std::pair<QString, std::pair<qint64, qint64>>> rows(spent.begin(), spent.end());
        std::sort(rows.begin(), rows.end(),
                  [](const auto &a, const auto &b) { return a.second.first > b.second.first; });
        qint64 total = 0;
        for (const auto &row : rows)
            total += row.second.first;
        for (const auto &[what, cost] : rows) {
            if (double(cost.first) / 1e6 < 1.0)
                continue;
            std::printf("  %8.0f ms %5.1f%%  %8lld x  %s\n", double(cost.first) / 1e6,
                        100.0 * double(cost.first) / (wallSeconds * 1e9),
                        static_cast<long long>(cost.second), qPrintable(what));
        }
        std::printf("  %8.0f ms %5.1f%%  in all events, of %.1f s\n", double(total) / 1e6,
                    100.0 * double(total) / (wallSeconds * 1e9), wallSeconds);
        std::printf("  %8.0f ms %5.1f%%  of it in the window's handlers of linesRead (inside the "
                    "activations)\n",
                    double(handlersNs) / 1e6, 100.0 * double(handlersNs) / (wallSeconds * 1e9));
    }
    std::fflush(stdout);
    return received == expected && logLines == expected && !timedOut ? 0 : 1;
}
