#include "engine/childlaunch.h"

#include "process/shardprocess.h"
#include "profile/profile.h"

#include <QRandomGenerator>

LaunchSpec ChildLaunch::spec(const Profile &profile, const ShardRange &range, int shardTotal,
                             const QString &token, int processOffset)
{
    ShardRange inPlan = range;
    inPlan.process += processOffset;
    LaunchSpec spec;
    spec.program = profile.resolvedInterpreter();
    if (spec.program.isEmpty())
        spec.program = profile.interpreter; // QProcess reports "not found" on start
    spec.arguments = profile.childArguments(inPlan, shardTotal);
    spec.workingDirectory = profile.resolvedWorkingDirectory();
    spec.environment = profile.childEnvironment(
        inPlan, shardTotal, QString::fromLatin1(ipcSecret(range.process)), token);
    return spec;
}

RestartPolicy ChildLaunch::restartPolicy(const Profile &profile)
{
    RestartPolicy policy;
    policy.autoRestart = profile.autoRestart;
    policy.delayMs = profile.restartDelay;
    policy.delayMaxMs = profile.restartDelayMax;
    policy.maxRestarts = profile.maxRestarts;
    policy.windowMs = profile.restartWindow;
    policy.stopTimeoutMs = profile.stopTimeout;
    return policy;
}

QByteArray ChildLaunch::ipcSecret(int process)
{
    QByteArray &secret = m_ipcSecrets[process];
    if (secret.isEmpty())
        secret = QByteArray::number(QRandomGenerator::system()->generate64(), 16)
            + QByteArray::number(QRandomGenerator::system()->generate64(), 16);
    return secret;
}
