#pragma once

#include "engine/abstractengine.h"
#include "service/remoteprocess.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>

#include <memory>
#include <optional>
#include <vector>

class QIODevice;

// The engine of a service, seen through its control socket (docs/control-protocol.md): the
// window reads and steers it as it would an engine of its own. Attached, it mirrors the service
// (the snapshot, then every event) and sends each command as a line; detached, it shows the
// plan of the profile it was given and keeps the last state it knew. Starting a run that has no
// service asks for one (serviceNeeded): ServiceLink starts it and attaches.
class RemoteEngine : public AbstractEngine {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteEngine)

public:
    explicit RemoteEngine(QObject *parent = nullptr);
    ~RemoteEngine() override;

    // --- The link: a device that carries the protocol (a local socket, ssh's stdio)
    // Reads hello, the snapshot and events from device, which stays the caller's.
    void attach(QIODevice *device);
    // The device is gone: the last state stays, shown as such.
    void detach();
    bool isAttached() const { return m_attached; }
    qint64 servicePid() const { return m_servicePid; }
    QDateTime serviceSince() const { return m_serviceSince; }
    QString serviceProfilePath() const { return m_serviceProfile; }

    // --- AbstractEngine
    bool setProfile(const Profile &profile, QList<ProfileError> *errors = nullptr) override;
    const Profile &profile() const override { return m_profile; }
    QList<ShardRange> plan() const override;
    QList<ShardRange> schedule() const override;
    void setToken(const QString &token) override;
    bool hasToken() const override { return m_hasToken; }
    RunStatus status() const override;
    bool isSessionOpen() const override { return m_status.sessionOpen; }
    bool isBusy() const override;
    int processCount() const override { return int(m_processes.size()); }
    const ProcessView *process(int index) const override { return remote(index); }
    QList<ShardState> shardStates(int process) const override;
    const ResourceHistory &resources(int process) const override;
    QJsonObject ipcStats(int process) const override;
    LaunchInfo launchInfo(int process) const override;
    bool isReady(int process) const override;
    int ipcConnectionCount(int process) const override;
    const GatewayInfo &gatewayInfo() const override { return m_gateway; }

    bool startAll(QString *error = nullptr) override;
    void stopAll() override;
    void killAll() override;
    void restartAll() override;
    void rollingRestart() override;
    bool startProcess(int index, QString *error = nullptr) override;
    void stopProcess(int index) override;
    void killProcess(int index) override;
    void restartProcess(int index) override;
    // The service answers with the exact count later; this is how many connections it had.
    int broadcast(const QString &text) override;
    int sendTo(int process, const QString &text) override;
    void fetchGateway() override;
    void resumeAutoRestarts() override;

    // Asks the service to stop every process and then itself.
    void stopService();

signals:
    // A broadcast (process -1) or send, once the service's reply tells how many connections it
    // reached (broadcast() and sendTo() can only return the last known count).
    void ipcSent(int process, const QString &text, int reached);
    // Start was asked while no service runs the profile.
    void serviceNeeded();
    void attachedChanged(bool attached);
    // A command's reply that says it failed (also shown as a notice).
    void commandFailed(const QString &command, const QString &error);

private:
    // remoteevents.cpp: the service's lines applied to the mirror.
    void onReadyRead();
    void onLine(const QJsonObject &object);
    void applySnapshot(const QJsonObject &snapshot);
    void applyEvent(const QString &name, const QJsonObject &event);
    void applyProcessEvent(const QString &name, RemoteProcess *p, const QJsonObject &event);
    void applyPlan(const QJsonObject &profile, const QJsonArray &processes);
    void onReply(const QJsonObject &reply);

    RemoteProcess *remote(int index) const;
    void rebuildFromProfile();
    void send(const QString &command, QJsonObject fields = {});

    Profile m_profile;
    // Edited while attached and stopped: applied to the service at the next start.
    std::optional<Profile> m_edited;
    std::vector<std::unique_ptr<RemoteProcess>> m_processes;
    RunStatus m_status;
    GatewayInfo m_gateway;
    bool m_hasToken = false;
    QString m_pendingToken; // given while detached: sent on attach
    QIODevice *m_device = nullptr;
    bool m_attached = false;
    bool m_helloSeen = false;
    qint64 m_servicePid = 0;
    QDateTime m_serviceSince;
    QString m_serviceProfile;
    int m_nextCommand = 1;
    QHash<int, QString> m_pending; // command id -> command, until its reply
    // broadcast/send ids -> (process or -1, message): ipcSent once the reply tells the reach.
    QHash<int, std::pair<int, QString>> m_pendingMessages;
};
