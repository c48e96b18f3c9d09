#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

class QLocalSocket;

// One window (or --control bridge) attached to the service. What it is sent queues in its
// socket, within a budget: over it, output lines are skipped for this client alone and a
// "skipped" event says how many once it has caught up; a client that takes nothing for a while
// with its queue over the budget, or whose queue grows past the hard limit, is dropped. Either
// way the service and the other clients go on at their own pace.
class ControlClient : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlClient)

public:
    struct Budget {
        qint64 thinAboveBytes = 4 << 20; // output is skipped while more than this is queued
        qint64 dropAboveBytes = 64 << 20; // anything queued past this drops the client
        int stallMs = 30000; // over the budget and nothing taken for this long: dropped
        qint64 maxCommandBytes = 4 << 20; // a command line longer than this drops the client
    };
    // SHARD_MANAGER_CONTROL_BUDGET (bytes) and SHARD_MANAGER_CONTROL_STALL_MS change the first
    // and third (the hard limit is 16 times the budget).
    static Budget budgetFromEnvironment();

    ControlClient(QLocalSocket *socket, int id, const Budget &budget, QObject *parent = nullptr);
    ~ControlClient() override;

    int id() const { return m_id; }
    // Queued whatever the budget: hello, snapshot, replies, and events that change state.
    void send(const QByteArray &line);
    // Output of a process: lines skipped while over the budget.
    void sendOutput(const QByteArray &line, int lines);
    // Called now and then by the server: drops the client when it has stalled.
    void checkStall();
    qint64 skippedLines() const { return m_skipped; }

signals:
    void commandReceived(const QJsonObject &command);
    // Gone: it closed, or was dropped (reason says why, empty when it closed).
    void finished(const QString &reason);

private:
    void onReadyRead();
    void drop(const QString &reason);
    qint64 queued() const;

    QLocalSocket *m_socket;
    int m_id;
    Budget m_budget;
    qint64 m_skipped = 0;
    QElapsedTimer m_sinceProgress; // since the socket last took bytes
    bool m_finished = false;
};
