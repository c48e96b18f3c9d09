#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

class Profile;
struct LaunchSpec;
struct RestartPolicy;
struct ShardRange;

// What each child is launched with (DESIGN §1): the profile's program, argv and environment,
// the token, and an IPC hello secret per process that is new every session; and how the
// profile says to restart it.
class ChildLaunch {
public:
    // range numbers the process as the engine does; processOffset is the number of its first
    // process in the whole plan (a cluster slice's), which the child sees (SHARDER_PROCESS).
    LaunchSpec spec(const Profile &profile, const ShardRange &range, int shardTotal,
                    const QString &token, int processOffset = 0);
    static RestartPolicy restartPolicy(const Profile &profile);

    // The secret a process says hello with in this session, made on first use.
    QByteArray ipcSecret(int process);
    // A new session: a child of an earlier run cannot reuse a secret.
    void forgetSecrets() { m_ipcSecrets.clear(); }

private:
    QHash<int, QByteArray> m_ipcSecrets;
};
