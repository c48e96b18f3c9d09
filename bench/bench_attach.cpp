// bench/attach: the window as a client of its service (issue 12). Run by hand, under
// QT_QPA_PLATFORM=offscreen or xvfb-run -a:
//   build/bin/bench_attach [--seconds S] [--rounds R] [--processes N] [--rate LINES_PER_SEC]
//                          [--panes K] [--attaches A] [--only flood|attach]
// Starts real services (`shard-manager --headless --no-echo`, sockets in a temporary
// XDG_RUNTIME_DIR) and prints three figures against their targets:
// 1. a window (MainWindow on RemoteEngine + ServiceLink) attached to a service whose N processes
//    (default 10) each print RATE lines a second (default 50,000) for S seconds (default 20):
//    the lateness of a 10 ms timer in the window (p50, p99, max) and the lines it received;
// 2. the service's CPU over the same flood with no client and with that window, in R rounds of
//    each (default 2, interleaved: without, with, without, with), medians and their ratio;
// 3. attaching a window to a service of 100 processes that have printed 500 lines each: the
//    time until the table shows all of them running with all their lines (median of A, default 5).
// Exit status 1 when a run broke (a service did not start, lines went missing); a missed target
// is printed, not an error.

#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "nosecrets.h"
#include "processtablemodel.h"
#include "secrets/secretbackend.h"
#include "service/controlpaths.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "servicewatch.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using Clock = OutputWatch::Clock;

namespace {

constexpr int kSleepMs = 2000; // before the flood: the service starts and the window attaches
constexpr int kAttachProcesses = 100;
constexpr int kAttachLines = 500;

// One window on a RemoteEngine and a ServiceLink, wired as ui/gui.cpp wires the program's.
struct AttachedWindow {
    explicit AttachedWindow(SecretBackend *secrets)
        : link(&engine)
        , window(&engine, secrets)
    {
        window.setServiceLink(&link, &engine);
        window.show();
    }
    RemoteEngine engine;
    ServiceLink link;
    MainWindow window;
};

struct Options {
    int seconds = 20;
    int rounds = 2;
    int processes = 10;
    int rate = 50000;
    int panes = 3;
    int attaches = 5;
    QString only;
};

// Runs the event loop until done() holds or timeoutMs pass; what done() says at the end.
bool waitFor(const std::function<bool()> &done, int timeoutMs, int pollMs = 5)
{
    if (done())
        return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setTimerType(Qt::PreciseTimer);
    poll.setInterval(pollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start();
    loop.exec();
    return done();
}

double ms(Clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5))];
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double cpuSelf()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A 10 ms timer's lateness, each tick against the one before, with when it ticked.
class LatenessProbe {
public:
    LatenessProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const auto now = Clock::now();
            m_ticks.push_back({now, std::max(0.0, ms(now - m_last) - 10.0)});
            m_last = now;
        });
    }
    void start()
    {
        m_last = Clock::now();
        m_timer.start();
    }
    // The lateness of the ticks from `from` on.
    std::vector<double> since(Clock::time_point from) const
    {
        std::vector<double> out;
        for (const auto &[at, late] : m_ticks) {
            if (at >= from)
                out.push_back(late);
        }
        return out;
    }

private:
    QTimer m_timer;
    Clock::time_point m_last;
    std::vector<std::pair<Clock::time_point, double>> m_ticks;
};

struct Round {
    bool window = false;
    QString error;
    double wallSeconds = 0;
    double serviceCpu = 0; // per second of the flood
    std::vector<double> lateMs;
    qint64 received = 0;
    qint64 skipped = 0;
    qint64 paneDropped = 0;
    double windowCpu = 0; // per second of the flood
};

struct Flood {
    QString profile;
    QString statusFile;
    int processes;
    qint64 linesEach;
    int panes;
    int seconds;
};

Round runRound(const Flood &flood, bool withWindow, SecretBackend *secrets)
{
    Round round;
    round.window = withWindow;
    const QFileInfo profile(flood.profile);
    QFile::remove(profile.absolutePath() + u'/' + profile.completeBaseName() + u".log"_s);
    BenchService service;
    if (QString error; !service.start(flood.profile, flood.statusFile, &error)) {
        round.error = u"the service did not start: "_s + error;
        return round;
    }
    OutputWatch watch;
    watch.start(service.pid(), flood.processes, linesBytes(flood.linesEach),
                std::chrono::milliseconds(500), std::chrono::seconds(flood.seconds * 4 + 60));
    const qint64 expected = flood.linesEach * flood.processes;
    std::unique_ptr<AttachedWindow> w;
    LatenessProbe probe;
    Clock::time_point attachedAt;
    const double cpuBefore = cpuSelf();
    if (withWindow) {
        w = std::make_unique<AttachedWindow>(secrets);
        QObject::connect(&w->engine, &AbstractEngine::linesRead, &w->engine,
                         [&round](int, bool, const QStringList &lines) {
            round.received += lines.size();
        });
        // The only word of lines the service had to skip for this window is the notice.
        static const QRegularExpression skippedNotice(u"^(\\d+) output line"_s);
        QObject::connect(&w->engine, &AbstractEngine::notice, &w->engine,
                         [&round](const QString &text) {
            if (const auto match = skippedNotice.match(text); match.hasMatch())
                round.skipped += match.captured(1).toLongLong();
        });
        // Opened once the socket is there: the link would otherwise look again only in a second.
        waitFor([&] { return QFileInfo::exists(ControlPaths::socketFor(flood.profile)); }, 10000);
        w->window.openProfile(flood.profile);
        if (!waitFor([&] { return w->link.state() == ServiceLink::State::Attached; }, 15000)) {
            round.error = u"the window did not attach"_s;
            return round;
        }
        attachedAt = Clock::now();
        for (int i = 0; i < std::min(flood.panes, flood.processes); ++i)
            w->window.logTabs()->openProcess(i);
        w->window.logTabs()->setCurrentWidget(w->window.logTabs()->allPane());
        QObject::connect(w->window.logTabs()->allPane(), &LogPane::droppedLines, &w->engine,
                         [&round](int count) { round.paneDropped += count; });
        probe.start();
    }
    waitFor([&] { return watch.isDone(); }, (flood.seconds * 4 + 70) * 1000);
    const OutputWatch::Result &result = watch.result();
    if (!result.error.isEmpty()) {
        round.error = result.error;
        return round;
    }
    round.wallSeconds = result.wallSeconds();
    round.serviceCpu = result.cpuSeconds / round.wallSeconds;
    if (withWindow) {
        if (attachedAt > result.first)
            round.error = u"the window attached after the flood began (a slow start?)"_s;
        // What the service still had queued for the window, or it has said it skipped.
        waitFor([&] { return round.received + round.skipped >= expected; }, 15000);
        round.lateMs = probe.since(result.first);
        round.windowCpu = (cpuSelf() - cpuBefore) / round.wallSeconds;
        if (round.error.isEmpty() && round.received + round.skipped != expected)
            round.error
                = u"the window accounted for %1 of %2 lines"_s.arg(round.received + round.skipped)
                      .arg(expected);
    }
    w.reset(); // detaches; the service goes on until stopped
    service.stop();
    return round;
}

// Figure 3: a fresh window opens the profile of a running service (openProfile calls
// ServiceLink::watchLocal first); the time until its table has every process running with its
// lines. Milliseconds per attach, or empty with why in *error.
std::vector<double> runAttaches(const QTemporaryDir &dir, int attaches, SecretBackend *secrets,
                                QString *error)
{
    const QString path = writeBenchProfile(dir.path(), u"attach"_s, kAttachProcesses,
                                           {u"--lines=%1"_s.arg(kAttachLines), u"--run"_s}, false);
    BenchService service;
    if (!service.start(path, dir.filePath(u"attach-service.txt"_s), error))
        return {};
    OutputWatch watch;
    watch.start(service.pid(), kAttachProcesses, linesBytes(kAttachLines),
                std::chrono::milliseconds(300), std::chrono::seconds(60));
    waitFor([&] { return watch.isDone(); }, 70000);
    if (!watch.result().error.isEmpty()) {
        *error = watch.result().error;
        return {};
    }
    std::vector<double> times;
    for (int k = 0; k < attaches; ++k) {
        auto w = std::make_unique<AttachedWindow>(secrets);
        const auto *model = w->window.findChild<ProcessTableModel *>();
        const auto shown = [&] {
            if (!w->engine.isAttached() || model->rowCount() != kAttachProcesses
                || w->engine.processCount() != kAttachProcesses)
                return false;
            for (int i = 0; i < kAttachProcesses; ++i) {
                const ProcessView *p = w->engine.process(i);
                if (p->state() != ProcessState::Running || p->recentLines().size() < kAttachLines)
                    return false;
            }
            return true;
        };
        const auto start = Clock::now();
        w->window.openProfile(path);
        if (!waitFor(shown, 10000, 1)) {
            *error
                = u"attach %1: the table did not show every process and line in 10 s"_s.arg(k + 1);
            return {};
        }
        times.push_back(ms(Clock::now() - start));
    }
    service.stop();
    return times;
}

Options parseOptions(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The window attached to a service under a flood: its lag, "
                                     "the service's CPU, the time to attach."_s);
    parser.addHelpOption();
    const QCommandLineOption seconds(u"seconds"_s, u"How long each flood lasts (20)."_s, u"S"_s,
                                     u"20"_s);
    const QCommandLineOption rounds(u"rounds"_s, u"Floods without and with the window (2 each)."_s,
                                    u"R"_s, u"2"_s);
    const QCommandLineOption processes(u"processes"_s, u"Processes (10)."_s, u"N"_s, u"10"_s);
    const QCommandLineOption rate(u"rate"_s, u"Lines per second per process (50000)."_s, u"LINES"_s,
                                  u"50000"_s);
    const QCommandLineOption panes(u"panes"_s, u"Process panes opened beside All (3)."_s, u"K"_s,
                                   u"3"_s);
    const QCommandLineOption attaches(u"attaches"_s, u"Attaches to 100 processes timed (5)."_s,
                                      u"A"_s, u"5"_s);
    const QCommandLineOption only(u"only"_s, u"Only the flood or only the attach figure."_s,
                                  u"flood|attach"_s);
    parser.addOptions({seconds, rounds, processes, rate, panes, attaches, only});
    parser.process(app);
    const auto number = [&parser](const QCommandLineOption &option, int min) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < min) {
            std::fprintf(stderr, "bench_attach: --%s needs a number >= %d\n",
                         qPrintable(option.names().first()), min);
            std::exit(64);
        }
        return value;
    };
    Options o {number(seconds, 1), number(rounds, 1),   number(processes, 1), number(rate, 1),
               number(panes, 0),   number(attaches, 1), parser.value(only)};
    if (!o.only.isEmpty() && o.only != u"flood"_s && o.only != u"attach"_s) {
        std::fprintf(stderr, "bench_attach: --only takes flood or attach\n");
        std::exit(64);
    }
    return o;
}

void row(const QString &figure, const QString &measured, const QString &target, bool pass)
{
    std::printf("%-44s %-36s %-9s %s\n", qPrintable(figure), qPrintable(measured),
                qPrintable(target), pass ? "pass" : "MISS");
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);
    // Window state and recent profiles go to a test location, never the user's settings.
    QStandardPaths::setTestModeEnabled(true);
    const Options opt = parseOptions(app);

    QTemporaryDir dir;
    if (!dir.isValid())
        qFatal("bench_attach: no temporary folder");
    // Sockets of this bench's services only: the window meets no other service.
    qputenv("XDG_RUNTIME_DIR", dir.filePath(u"runtime"_s).toLocal8Bit());
    qputenv("XDG_STATE_HOME", dir.filePath(u"state"_s).toLocal8Bit());
    NoSecrets secrets;

    QStringList command;
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        command << u"QT_QPA_PLATFORM=%1"_s.arg(qEnvironmentVariable("QT_QPA_PLATFORM"));
    command << QCoreApplication::arguments();
    std::printf("== bench_attach ==\ncommand: %s\nbuild:   %s, Qt %s, platform %s, %d cores\n",
                qPrintable(command.join(u' ')), BENCH_BUILD_TYPE, qVersion(),
                qPrintable(QGuiApplication::platformName()), QThread::idealThreadCount());
    std::fflush(stdout);
    bool broken = false;

    std::vector<Round> rounds;
    const qint64 linesEach = qint64(opt.rate) * opt.seconds;
    if (opt.only != u"attach"_s) {
        const Flood flood {
            writeBenchProfile(dir.path(), u"flood"_s, opt.processes,
                              {u"--sleep=%1"_s.arg(kSleepMs), u"--rate=%1"_s.arg(opt.rate),
                               u"--lines=%1"_s.arg(linesEach), u"--run"_s},
                              true),
            dir.filePath(u"flood-service.txt"_s),
            opt.processes,
            linesEach,
            opt.panes,
            opt.seconds};
        std::printf("flood:   %d processes x %d lines/s x %d s = %lld lines, log file on; window: "
                    "All pane shown, %d process panes open\n",
                    opt.processes, opt.rate, opt.seconds,
                    static_cast<long long>(linesEach * opt.processes), opt.panes);
        for (int i = 0; i < opt.rounds * 2; ++i) {
            const Round r = runRound(flood, i % 2 == 1, &secrets);
            std::printf("round %d %-14s flood %5.2f s, service CPU %4.0f%% of a core", i + 1,
                        r.window ? "with window:" : "no client:", r.wallSeconds,
                        100 * r.serviceCpu);
            if (r.window)
                std::printf(
                    "; bench process (window) CPU %3.0f%%, lateness p50 %.1f p99 %.1f max %.1f ms, "
                    "%lld "
                    "lines received + %lld skipped, All pane dropped %lld",
                    100 * r.windowCpu, percentile(r.lateMs, 0.5), percentile(r.lateMs, 0.99),
                    r.lateMs.empty() ? 0.0 : *std::max_element(r.lateMs.begin(), r.lateMs.end()),
                    static_cast<long long>(r.received), static_cast<long long>(r.skipped),
                    static_cast<long long>(r.paneDropped));
            if (!r.error.isEmpty()) {
                std::printf("\n  BROKEN: %s (service log kept: %s)", qPrintable(r.error),
                            qPrintable(flood.statusFile));
                dir.setAutoRemove(false);
                broken = true;
            }
            std::printf("\n");
            std::fflush(stdout);
            rounds.push_back(r);
        }
    }

    std::vector<double> attachMs;
    if (opt.only != u"flood"_s) {
        QString error;
        attachMs = runAttaches(dir, opt.attaches, &secrets, &error);
        QStringList each;
        for (double t : attachMs)
            each << QString::number(t, 'f', 0);
        std::printf("attach:  %d processes x %d lines, %d attaches: %s ms\n", kAttachProcesses,
                    kAttachLines, opt.attaches,
                    error.isEmpty() ? qPrintable(each.join(u", "_s))
                                    : qPrintable(u"BROKEN: "_s + error));
        broken = broken || !error.isEmpty();
    }

    std::printf("\n%-44s %-36s %-9s %s\n", "figure", "measured", "target", "");
    if (!rounds.empty()) {
        std::vector<double> late, alone, attached;
        qint64 received = 0, skipped = 0, expected = 0;
        for (const Round &r : rounds) {
            (r.window ? attached : alone).push_back(r.serviceCpu);
            if (!r.window)
                continue;
            late.insert(late.end(), r.lateMs.begin(), r.lateMs.end());
            received += r.received;
            skipped += r.skipped;
            expected += linesEach * opt.processes;
        }
        const double p99 = percentile(late, 0.99);
        row(u"1. window timer lateness p99 (p50, max)"_s,
            u"%1 ms (%2, %3 ms)"_s.arg(p99, 0, 'f', 1)
                .arg(percentile(late, 0.5), 0, 'f', 1)
                .arg(percentile(late, 1.0), 0, 'f', 1),
            u"< 50 ms"_s, p99 < 50);
        row(u"   lines the window received (+ skipped)"_s,
            u"%1 + %2 of %3"_s.arg(received).arg(skipped).arg(expected), u"all"_s,
            received + skipped == expected);
        const double ratio = median(attached) / median(alone);
        row(u"2. service CPU with window / without"_s,
            u"%1 (%2% / %3% of a core)"_s.arg(ratio, 0, 'f', 3)
                .arg(100 * median(attached), 0, 'f', 0)
                .arg(100 * median(alone), 0, 'f', 0),
            u"<= 1.2"_s, ratio <= 1.2);
    }
    if (!attachMs.empty()) {
        const double m = median(attachMs);
        row(u"3. attach to 100 processes, median"_s,
            u"%1 ms (max %2 ms)"_s.arg(m, 0, 'f', 0).arg(percentile(attachMs, 1.0), 0, 'f', 0),
            u"< 1 s"_s, m < 1000);
    }
    std::fflush(stdout);
    return broken ? 1 : 0;
}
