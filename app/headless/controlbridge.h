#pragma once

#include <QObject>
#include <QString>

class QLocalSocket;
class StdinReader;
class StdoutWriter;

// `shard-manager --control PROFILE`: relays bytes, unchanged, between this program's stdin and
// stdout and the control socket of the service running PROFILE. A remote window runs it at the far
// end of ssh (or kubectl exec -i) and speaks the control protocol through it. Nothing piles up
// here: while stdout lags the socket is left unread (the service's per-client budget deals with a
// slow client), and while the socket lags stdin is left unread.
class ControlBridge : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlBridge)

public:
    // Bytes waiting for stdout past which the socket is no longer read.
    static constexpr qint64 kOutputHigh = 256 * 1024;
    // Bytes waiting for the socket past which stdin is no longer read.
    static constexpr qint64 kSocketHigh = 1024 * 1024;

    explicit ControlBridge(const QString &profilePath, QObject *parent = nullptr);
    ~ControlBridge() override;

    // Connects to the service and starts relaying: 0, and finished() tells the end later; 3 (said
    // on stderr) when no service runs the profile.
    int start();

signals:
    // 0 when the service closed the connection or stdin ended (everything read from the socket
    // written out first); 1 when stdout or the connection broke.
    void finished(int exitCode);

private:
    void pump();
    void onStdin(const QByteArray &data);
    void onSocketWritten();
    void onSocketClosed();
    void end(int exitCode, const QString &error = QString());

    QString m_profilePath;
    QLocalSocket *m_socket;
    StdinReader *m_stdin = nullptr;
    StdoutWriter *m_stdout = nullptr;
    QString m_socketError; // why the connection broke, empty when it was closed
    bool m_socketClosed = false;
    bool m_ended = false;
};
