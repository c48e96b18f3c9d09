#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <csignal>

// What bench_soak knows from the manager's events about each run of a child, and the checks it
// makes at the end: the log file against those runs, and the samples for flatness.
namespace Soak {

// One run of one child process, from its `started` event to its `exited` event.
struct Incarnation {
    qint64 pid = 0;
    int killedWith = 0; // SIGKILL or SIGTERM when the soak ended it, 0 otherwise
    bool sawOutput = false; // an `output` event came: the child is past its start-up
    bool exited = false;
    bool stoppedByManager = false; // ended by the manager's own stop at the end
    qint64 startedAtMs = 0; // the `started` event's time, ms since the epoch
    qint64 killedAtMs = 0; // when the soak sent its signal, same clock
};

struct Sample {
    qint64 atSeconds = 0;
    qint64 rssKiB = 0;
    int descriptors = 0;
    int running = 0; // children running, from the events
    int restarts = 0; // children ended by the soak so far
    qint64 lines = 0; // `output` events so far
};

// Figures and failures from reading the log file.
struct LogReport {
    qint64 lines = 0; // log lines read
    qint64 ticks = 0; // numbered lines
    qint64 broadcasts = 0; // broadcasts the children echoed
    int incarnations = 0;
    QStringList failures; // each a sentence; empty when every check passed
};

// Reads the log and checks, for each process, that the runs in the log are the runs of the events
// (same pids, same order), that each run's numbered lines go 1, 2, 3... with none missing, that a
// run ended with SIGTERM (by the soak or by the manager's stop) ends with "TERM", that a run ended
// with SIGKILL has at least rate * (kill time - start time) - rate lines (one second of slack for
// start-up), and that the broadcasts each run echoed are consecutive. The times are the soak's
// and the event's, not the manager's uptime: a manager slow to notice an exit would inflate that.
LogReport checkLog(const QString &path, const QList<QList<Incarnation>> &processes, int rate);

// The flatness rule, applied to the first sample at or after warmUpSeconds and the last sample.
struct FlatRule {
    qint64 warmUpSeconds = 0;
    double rssFraction = 0.10; // the last RSS may exceed the warm-up one by this fraction...
    qint64 rssMinKiB = 4096; // ...or by this much, whichever is larger
    int descriptorSlack = 8; // descriptors: by at most this many, between the first and the
    int children = 0; // last samples after the warm-up with this many children running
    QString describe() const;
};

struct FlatReport {
    QString figures; // the compared samples, for the printout
    QStringList failures; // empty when flat
};

FlatReport checkFlat(const QList<Sample> &samples, const FlatRule &rule);

} // namespace Soak
