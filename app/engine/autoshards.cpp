#include "engine/autoshards.h"

#include "discord/gatewayguard.h"
#include "profile/profile.h"

using namespace Qt::StringLiterals;

AutoShards::AutoShards(GatewayGuard *guard, QObject *parent)
    : QObject(parent)
    , m_guard(guard)
{
}

int AutoShards::total(const Profile &profile) const
{
    return profile.maxShardsAuto ? m_count : profile.maxShards;
}

bool AutoShards::needsFetch(const Profile &profile) const
{
    return profile.maxShardsAuto && m_count < 1;
}

bool AutoShards::fetchForStart(const Profile &profile, const QString &token, QString *error)
{
    if (token.isEmpty()) {
        if (error)
            *error = tr("maxShards: \"auto\" asks Discord for the shard count, which needs the bot "
                        "token: set it first");
        return false;
    }
    const QList<ProfileError> problems = profile.validate();
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.first().toString();
        return false;
    }
    m_startAfterFetch = true;
    emit notice(tr("asking Discord for the recommended shard count…"));
    m_guard->refresh();
    return true;
}
