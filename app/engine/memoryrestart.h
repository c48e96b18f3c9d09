#pragma once

#include "process/processview.h"

#include <QObject>

#include <functional>

class ResourceMonitor;

// memoryRestart (DESIGN §2): a running process whose memory stays above memoryLimit for a while
// is restarted, unless automatic restarts are held back.
class MemoryRestart : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryRestart)

public:
    // What it may read of the engine's processes and ask of them.
    struct Hooks {
        std::function<const ProcessView *(int process)> process;
        std::function<bool(int process)> heldBack; // automatic restarts are held back (RestartHold)
        std::function<void(int process)> restart;
    };

    // Watches monitor's memoryOverLimit.
    MemoryRestart(ResourceMonitor *monitor, Hooks hooks, QObject *parent = nullptr);

    // The limit in bytes; 0 turns it off (memoryRestart false).
    void setLimit(qint64 bytes);
    // How long a process must stay above the limit before it is restarted (30 s).
    void setDelay(int ms);

    void onOverLimit(int process, qint64 rssBytes);

signals:
    void notice(const QString &text);

private:
    ResourceMonitor *m_monitor;
    Hooks m_hooks;
    qint64 m_limit = 0;
    int m_delayMs = 30000;
};
