#pragma once

#include "output/lineledger.h"
#include "platform/guardian.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <memory>

class ConsoleEcho;
struct OutputBatch;
class IpcServer;
class LogWriter;
class Profile;
struct ShardRange;

// What a session holds open while processes run: the IPC server's port, the profile's log file
// (its problems reported once each), the console echo, and the guardian, started with the first
// session and kept, which kills the shards' groups should the manager die.
class Session : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    explicit Session(IpcServer *ipc, QObject *parent = nullptr);
    ~Session() override;

    void setGuardian(const GuardianCommand &command) { m_guardianCommand = command; }
    bool isOpen() const { return m_open; }
    // echo: whether lines may go to the terminal (off for --events json); the profile's silent
    // key turns it off too.
    bool open(const Profile &profile, const QString &token, bool echo, QString *error);
    void close();

    void write(const ShardRange &range, bool isStderr, const OutputBatch &batch);
    bool logFileFailing() const;
    // Lines the log file holds and lines it lost, since this session opened it (0 without one).
    qint64 logLinesWritten() const;
    qint64 logLinesDropped() const;
    QHash<int, LineLedger::Counts> logLinesByFirstShard() const;
    // The guardian takes a process's group along if the manager dies, until it exits.
    void watch(int process, qint64 pid);
    void unwatch(int process);

signals:
    void logFileError(const QString &message);
    void notice(const QString &text);

private:
    bool openLog(const Profile &profile, QString *error);

    IpcServer *m_ipc;
    bool m_open = false;
    std::unique_ptr<LogWriter> m_log;
    std::unique_ptr<ConsoleEcho> m_echo;
    GuardianCommand m_guardianCommand;
    ProcessGuardian *m_guardian = nullptr;
    QHash<int, qint64> m_guarded; // process -> group the guardian watches
};
