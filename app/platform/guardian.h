#pragma once

#include <QObject>
#include <QStringList>

class QProcess;

// How to start the guardian: main() knows the program's own roles, the engine does not.
struct GuardianCommand {
    QString program; // empty: no guardian
    QStringList arguments;
};

// Kills every shard process group when the manager dies, however it dies. PR_SET_PDEATHSIG
// takes only the direct children along; a helper a bot forked would outlive a manager killed
// with SIGKILL and keep its gateway session. The guardian is a second process
// (`shard-manager --guardian`) that learns each group on its stdin and, when that pipe closes
// (the manager is gone, cleanly or not), sends SIGKILL to every group still listed. It runs in a
// session of its own, so a signal to the manager's process group does not reach it.
class ProcessGuardian : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessGuardian)

public:
    // A missing program disables the guardian (isRunning() says so).
    explicit ProcessGuardian(const GuardianCommand &command, QObject *parent = nullptr);
    ~ProcessGuardian() override;

    bool isRunning() const;
    void watch(qint64 pgid);
    void unwatch(qint64 pgid);

    // The guardian side: reads "+pgid" / "-pgid" lines until end of input, then kills. Returns
    // the exit code. Runs without an event loop.
    static int run();

private:
    void send(char op, qint64 pgid);

    QProcess *m_process = nullptr;
};
