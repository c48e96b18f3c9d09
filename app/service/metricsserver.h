#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>

class QTcpServer;
class QTcpSocket;
class ShardEngine;

// `--metrics HOST:PORT`: the service's figures for Prometheus, served as /metrics in the text
// exposition format (version 0.0.4) over plain HTTP. Names follow Prometheus conventions
// (`shardmanager_` prefix, base units, `_total` for counters); docs/metrics.md lists them. The
// counters it keeps itself (restarts by cause, output lines, IPC messages) count from its start.
class MetricsServer : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsServer)

public:
    explicit MetricsServer(ShardEngine *engine, QObject *parent = nullptr);
    ~MetricsServer() override;

    // "PORT", "HOST:PORT" or "[IPV6]:PORT"; HOST defaults to 127.0.0.1 (loopback: the figures
    // name processes and paths, which need not leave the machine unless asked).
    static bool parseAddress(const QString &text, QHostAddress *host, quint16 *port,
                             QString *error);
    bool listen(const QString &address, QString *error);
    QString url() const;

    // The page as a scrape gets it.
    QByteArray page() const;

private:
    void onConnection();
    void onReadable(QTcpSocket *socket);

    struct Counts {
        qint64 unexpectedRestarts = 0;
        qint64 requestedRestarts = 0;
        qint64 stdoutLines = 0;
        qint64 stderrLines = 0;
        qint64 ipcReceived = 0;
        bool started = false; // has run before: its next start is a restart
        bool lastExitRequested = false;
    };

    ShardEngine *m_engine;
    QTcpServer *m_server;
    QHash<int, Counts> m_counts; // only processes that did something
};
