#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QIODevice;
class QLocalSocket;
class QProcess;
class RemoteEngine;

// How the window reaches the service it shows: the control socket of a local profile, or a
// command whose stdin and stdout carry the protocol (`ssh host shard-manager --control PATH`,
// `kubectl exec -i …`). It attaches the RemoteEngine when the service answers, says when the
// link is lost and tries again with a growing pause; for a local profile it also starts the
// service (Start All with none running), detached from the window.
class ServiceLink : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceLink)

public:
    enum class State {
        Idle, // no link wanted (no profile open)
        NoService, // a local profile that no service runs: checked now and then
        Starting, // a service is being started for it
        Connecting,
        Attached,
        Lost, // was attached (or a remote never answered): trying again
    };

    explicit ServiceLink(RemoteEngine *engine, QObject *parent = nullptr);
    ~ServiceLink() override;

    // The service of a local profile, on its control socket.
    void watchLocal(const QString &profilePath);
    // A remote service, through this command (program first).
    void watchCommand(const QStringList &command, const QString &label);
    // No link: the engine keeps its last state, detached.
    void stop();

    // The program a local service runs as (this program by default; tests give the build's).
    void setServiceProgram(const QString &program) { m_program = program; }
    // Starts the service of the local profile, then attaches; false with why.
    bool startService(QString *error);

    State state() const { return m_state; }
    bool isRemote() const { return !m_command.isEmpty(); }
    QString label() const { return m_label; }
    // One line for the status bar: "attached: running since 12:03 (pid 4242)", "lost …".
    QString describe() const;
    // This user's local services: socket path -> profile path, as each answers.
    static QList<std::pair<QString, QString>> runningServices();
    // Pauses between attempts to reach a lost service: 0.5 s doubling to 30 s.
    static int retryDelayMs(int attempt);

signals:
    void stateChanged(State state);
    // Something the user should read: why a start or a link failed.
    void message(const QString &text);

private:
    void setState(State state);
    void tryConnect();
    void connectLocal();
    void connectCommand();
    void onLinkLost(const QString &why);
    void scheduleRetry();
    void checkStartedService();
    QString serviceLogTail() const;

    RemoteEngine *m_engine;
    QString m_profilePath;
    QStringList m_command;
    QString m_label;
    QString m_program;
    State m_state = State::Idle;
    QLocalSocket *m_socket = nullptr;
    QProcess *m_process = nullptr;
    QByteArray m_processErrors; // the tail of the command's stderr, for the message
    QTimer m_retryTimer;
    int m_attempt = 0;
    qint64 m_startedPid = -1;
    QElapsedTimer m_startedFor;
    QString m_lastMessage;
};
