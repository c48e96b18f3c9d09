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
