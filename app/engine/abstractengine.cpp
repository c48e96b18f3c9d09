#include "engine/abstractengine.h"

AbstractEngine::AbstractEngine(QObject *parent)
    : QObject(parent)
{
}

AbstractEngine::~AbstractEngine() = default;

QString AbstractEngine::gatewayFailureText(const QString &message)
{
    return tr("Discord gateway information: %1").arg(message);
}

QString AbstractEngine::busyProfileChangeText()
{
    return tr("stop the running processes before changing the profile");
}

std::optional<QList<ProfileError>>
AbstractEngine::checkProfileChange(const Profile &profile, QList<ProfileError> *errors) const
{
    if (isBusy()) {
        if (errors)
            errors->append({QString(), busyProfileChangeText()});
        return std::nullopt;
    }
    QList<ProfileError> problems = profile.validate();
    if (errors)
        errors->append(problems);
    return problems;
}
