#include "soakcheck.h"

#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Soak {

namespace {

// One run as the log shows it.
struct LoggedRun {
    qint64 pid = 0;
    qint64 lastTick = 0;
    qint64 lastBroadcast = -1;
    bool terminated = false; // "TERM" seen
    bool broken = false; // a failure was already reported for this run
};

class LogWalker {
public:
    LogWalker(const QList<QList<Incarnation>> &processes, int rate, LogReport *report)
        : m_expected(processes)
        , m_runs(processes.size())
        , m_rate(rate)
        , m_report(report)
    {
    }

    void line(const QByteArray &raw)
    {
        ++m_report->lines;
        // "<time> | Shards <first> to <last> | <text>"; one shard per process in the soak.
        const qsizetype shards = raw.indexOf(" | Shards ");
        const qsizetype to = shards < 0 ? -1 : raw.indexOf(" to ", shards);
        const qsizetype bar = to < 0 ? -1 : raw.indexOf(" | ", to);
        bool ok = false;
        const int process
            = shards < 0 || to < 0 ? -1 : raw.mid(shards + 10, to - shards - 10).toInt(&ok);
        if (!ok || bar < 0 || process < 0 || process >= m_runs.size())
            return fail(
                u"a log line in an unknown format: %1"_s.arg(QString::fromUtf8(raw.left(80))));
        text(process, raw.mid(bar + 3));
    }

    void finish()
    {
        for (int p = 0; p < m_runs.size(); ++p) {
            if (!m_runs[p].isEmpty())
                endRun(p);
            if (m_runs[p].size() != m_expected[p].size())
                fail(u"process %1: %2 runs in the log, %3 started"_s.arg(p)
                         .arg(m_runs[p].size())
                         .arg(m_expected[p].size()));
            m_report->incarnations += int(m_runs[p].size());
        }
    }

private:
    void fail(const QString &message)
    {
        // A broken run would otherwise report every later line again.
        if (m_report->failures.size() < 20)
            m_report->failures << message;
        else if (m_report->failures.size() == 20)
            m_report->failures << u"(more failures not shown)"_s;
    }

    void text(int process, const QByteArray &text)
    {
        QList<LoggedRun> &runs = m_runs[process];
        if (text.startsWith("PID ")) {
            if (!runs.isEmpty())
                endRun(process);
            LoggedRun run;
            run.pid = text.mid(4).toLongLong();
            const qsizetype index = runs.size();
            if (index >= m_expected[process].size() || m_expected[process][index].pid != run.pid)
                fail(u"process %1: run %2 in the log has pid %3, not the pid the events gave"_s
                         .arg(process)
                         .arg(index + 1)
                         .arg(run.pid));
            runs.append(run);
            return;
        }
        if (runs.isEmpty())
            return fail(u"process %1: a line before the first run began: %2"_s.arg(process).arg(
                QString::fromUtf8(text.left(60))));
        LoggedRun &run = runs.last();
        if (run.broken)
            return;
        const auto broken = [&](const QString &what) {
            run.broken = true;
            fail(u"process %1, pid %2: %3"_s.arg(process).arg(run.pid).arg(what));
        };
        if (run.terminated)
            return broken(u"a line after TERM: "_s + QString::fromUtf8(text.left(60)));
        if (text.startsWith("tick ")) {
            const qint64 n = text.mid(5).toLongLong();
            if (n != run.lastTick + 1)
                return broken(u"tick %1 follows tick %2 (%3 lost or reordered)"_s.arg(n)
                                  .arg(run.lastTick)
                                  .arg(n - run.lastTick - 1));
            run.lastTick = n;
            ++m_report->ticks;
        } else if (text.startsWith("IPC bcast ")) {
            const qint64 n = text.mid(10).toLongLong();
            if (run.lastBroadcast >= 0 && n != run.lastBroadcast + 1)
                return broken(u"broadcast %1 follows broadcast %2"_s.arg(n).arg(run.lastBroadcast));
            run.lastBroadcast = n;
            ++m_report->broadcasts;
        } else if (text == "TERM") {
            run.terminated = true;
        } else {
            broken(u"unexpected line: "_s + QString::fromUtf8(text.left(60)));
        }
    }

    void endRun(int process)
    {
        const qsizetype index = m_runs[process].size() - 1;
        const LoggedRun &run = m_runs[process][index];
        if (run.broken || index >= m_expected[process].size())
            return;
        const Incarnation &expected = m_expected[process][index];
        // A child the soak SIGKILLed may still count as stopped by the manager when its exit came
        // after the stop had begun.
        const bool termed = expected.killedWith == SIGTERM
            || (expected.killedWith == 0 && expected.stoppedByManager);
        if (termed && !run.terminated)
            fail(u"process %1, pid %2: ended by SIGTERM but its last lines (up to TERM) are missing"
                 " after tick %3"_s.arg(process)
                     .arg(run.pid)
                     .arg(run.lastTick));
        if (expected.killedWith == SIGKILL) {
            const qint64 lived = expected.killedAtMs - expected.startedAtMs;
            const qint64 least = m_rate * lived / 1000 - m_rate;
            if (run.lastTick < least)
                fail(u"process %1, pid %2: killed %3 ms after its start with %4 lines in the log,"
                     " expected at least %5"_s.arg(process)
                         .arg(run.pid)
                         .arg(lived)
                         .arg(run.lastTick)
                         .arg(least));
        }
    }

    const QList<QList<Incarnation>> &m_expected;
    QList<QList<LoggedRun>> m_runs;
    int m_rate;
    LogReport *m_report;
};

} // namespace

LogReport checkLog(const QString &path, const QList<QList<Incarnation>> &processes, int rate)
{
    LogReport report;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        report.failures << u"cannot read the log file %1: %2"_s.arg(path, file.errorString());
        return report;
    }
    LogWalker walker(processes, rate, &report);
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        walker.line(line);
    }
    walker.finish();
    return report;
}

QString FlatRule::describe() const
{
    return u"after a warm-up of %1 s, the last sample's RSS is at most the warm-up sample's + "
           "max(%2%, %3 MiB), and the descriptors at most + %4 (first and last samples after the "
           "warm-up with all %5 children running)"_s.arg(warmUpSeconds)
               .arg(qRound(rssFraction * 100))
               .arg(rssMinKiB / 1024)
               .arg(descriptorSlack)
               .arg(children);
}

FlatReport checkFlat(const QList<Sample> &samples, const FlatRule &rule)
{
    const auto warm = std::find_if(samples.begin(), samples.end(), [&](const Sample &s) {
        return s.atSeconds >= rule.warmUpSeconds;
    });
    FlatReport report;
    if (warm == samples.end() || warm == samples.end() - 1) {
        report.failures << u"too few samples after the warm-up to judge flatness"_s;
        return report;
    }
    const Sample &last = samples.last();
    const qint64 rssLimit
        = warm->rssKiB + std::max(qint64(double(warm->rssKiB) * rule.rssFraction), rule.rssMinKiB);
    const double hours = double(last.atSeconds - warm->atSeconds) / 3600.0;
    report.figures
        = u"RSS %1 KiB at %2 s, %3 KiB at %4 s (%5%6%, %7 MiB/hour; limit %8 KiB)"_s
              .arg(warm->rssKiB)
              .arg(warm->atSeconds)
              .arg(last.rssKiB)
              .arg(last.atSeconds)
              .arg(last.rssKiB >= warm->rssKiB ? u"+"_s : QString())
              .arg(100.0 * double(last.rssKiB - warm->rssKiB) / double(warm->rssKiB), 0, 'f', 1)
              .arg(double(last.rssKiB - warm->rssKiB) / 1024.0 / hours, 0, 'f', 1)
              .arg(rssLimit);
    if (last.rssKiB > rssLimit)
        report.failures << u"memory grew beyond the limit: "_s + report.figures;

    // A child between a kill and its restart holds no descriptors: compare like with like.
    const auto allRunning = [&](const Sample &s) { return s.running == rule.children; };
    const auto from = std::find_if(warm, samples.end(), allRunning);
    const auto to = std::find_if(samples.rbegin(), samples.rend(), allRunning);
    if (from == samples.end() || to.base() - 1 <= from) {
        report.figures += u"; descriptors not compared: too few samples with every child running"_s;
        report.failures
            << u"descriptors: too few samples after the warm-up with every child running"_s;
        return report;
    }
    const int descriptorLimit = from->descriptors + rule.descriptorSlack;
    report.figures += u"; descriptors %1 at %2 s, %3 at %4 s (limit %5)"_s.arg(from->descriptors)
                          .arg(from->atSeconds)
                          .arg(to->descriptors)
                          .arg(to->atSeconds)
                          .arg(descriptorLimit);
    if (to->descriptors > descriptorLimit)
        report.failures << u"descriptors grew beyond the limit: "_s + report.figures;
    return report;
}

} // namespace Soak
