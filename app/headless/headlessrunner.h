#pragma once

#include "engine/shardengine.h"
#include "headless/eventstream.h"

#include <QFile>
#include <QObject>
#include <QTimer>

#include <memory>

class ControlServer;
class EngineEvents;
class MetricsServer;
class LineSplitter;
class SecretBackend;
class TokenStore;
class SignalWatcher;
class StdinReader;

// `shard-manager --headless PROFILE`: runs the engine without any display. Stdin lines are
// broadcast to the children; SIGTERM, SIGINT, SIGHUP and SIGQUIT stop everything gracefully (a
// second one kills).
// Status goes to stderr, child output (when not silent) or JSON events to stdout.
class HeadlessRunner : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessRunner)

public:
    struct Options {
        QString profilePath;
        bool jsonEvents = false;
        bool echo = true; // --no-echo: child output to the log file and control clients only
        QString tokenVariable; // --token-from-env: read the token from this variable
        QString tokenFile; // --token-file: or from this file (TokenSource::fromFile)
        int statsIntervalMs = EngineDefaults::kStatsIntervalMs; // --stats-interval
        QString metricsAddress; // --metrics HOST:PORT, empty for none
        ClusterSlice slice; // --cluster-index and --cluster-size
        GuardianCommand guardian; // how this program runs as the guardian
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
    // Stops every process and exits when they are down: a signal, or "stopService" from a client.
    void stopService(const QString &why);
    void onStdinData(const QByteArray &bytes);
    void reportDroppedLine();
    void broadcastLine(const QString &line);
    int startEngine();
    void printSummary();
    // IPC messages as status lines: at most kIpcLinesPerSecond in a second, the rest counted and
    // said once at the second's end, so that a chatty bot does not flood stderr (a journal).
    void onIpcMessage(int process, const QString &text);
    void reportHiddenIpc();

    Options m_options;
    ShardEngine *m_engine;
    SignalWatcher *m_signals;
    QFile m_stdout;
    EngineEvents *m_engineEvents;
    EventStream *m_events = nullptr;
    ControlServer *m_control = nullptr;
    MetricsServer *m_metrics = nullptr;
    StdinReader *m_stdin = nullptr;
    std::unique_ptr<LineSplitter> m_stdinLines;
    qint64 m_stdinDropped = 0; // bytes of a too long stdin line dropped so far, 0 when none is
    int m_terminations = 0;
    SecretBackend *m_keychain = nullptr;
    TokenStore *m_tokens = nullptr;
    QTimer m_keychainTimer;
    QTimer m_summaryTimer;
    QTimer m_ipcSecond; // runs from the first IPC status line of a second
    int m_ipcShown = 0;
    qint64 m_ipcHidden = 0;
    bool m_started = false;
};

// `shard-manager --check PROFILE`: prints the problems or the plan; returns the exit code.
// With a slice of several, also the table of the slices.
int checkProfile(const QString &path, const ClusterSlice &slice = {});
