#pragma once

#include <QFile>
#include <QObject>

#include <memory>

class EventStream;
class LineSplitter;
class QSocketNotifier;
class ShardEngine;
class SignalWatcher;

// `shard-manager --headless PROFILE`: runs the engine without any display. Stdin lines are
// broadcast to the children; SIGINT/SIGTERM stop everything gracefully (a second one kills).
// Status goes to stderr, child output (when not silent) or JSON events to stdout.
class HeadlessRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessRunner)

public:
    struct Options
    {
        QString profilePath;
        bool jsonEvents = false;
    };

    explicit HeadlessRunner(const Options &options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Loads the profile and starts; on failure prints why and returns the exit code to use.
    int start();

signals:
    void finished(int exitCode);

private:
    void status(const QString &text);
    void onTermination(int signal);
    void onStdinReadable();
    void broadcastLine(const QString &line);

    Options m_options;
    ShardEngine *m_engine;
    SignalWatcher *m_signals;
    QFile m_stdout;
    EventStream *m_events = nullptr;
    QSocketNotifier *m_stdin = nullptr;
    std::unique_ptr<LineSplitter> m_stdinLines;
    int m_terminations = 0;
};

// `shard-manager --check PROFILE`: prints the problems or the plan; returns the exit code.
int checkProfile(const QString &path);
