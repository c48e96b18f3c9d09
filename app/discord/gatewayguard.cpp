#include "discord/gatewayguard.h"

GatewayGuard::GatewayGuard(QObject *parent)
    : QObject(parent)
    , m_gateway(new DiscordGateway(this))
{
    connect(m_gateway, &DiscordGateway::fetched, this, [this](const GatewayInfo &info) {
        const bool wasLow = isLow();
        m_info = info;
        // Starts made while the request was under way are already in Discord's figure or not;
        // counting them again errs on the side of caution.
        m_remaining = info.sessionRemaining - m_spentSinceFetch;
        m_spentSinceFetch = 0;
        emit fetched(info);
        checkLow(wasLow);
    });
    connect(m_gateway, &DiscordGateway::failed, this, &GatewayGuard::failed);
}

void GatewayGuard::setCredentials(const QString &apiBase, const QString &token)
{
    if (apiBase != m_api || token != m_token)
        m_info = GatewayInfo();
    m_api = apiBase;
    m_token = token;
}

void GatewayGuard::refresh(qint64 maxAgeMs)
{
    if (m_token.isEmpty() || m_gateway->isBusy())
        return;
    if (maxAgeMs > 0 && m_info.valid
        && m_info.fetchedAt.msecsTo(QDateTime::currentDateTime()) < maxAgeMs)
        return;
    m_spentSinceFetch = 0;
    m_gateway->fetch(m_api, m_token);
}

void GatewayGuard::setInfo(const GatewayInfo &info)
{
    const bool wasLow = isLow();
    m_info = info;
    m_remaining = info.sessionRemaining;
    checkLow(wasLow);
}

void GatewayGuard::spend(int shards)
{
    const bool wasLow = isLow();
    m_remaining -= shards;
    if (m_gateway->isBusy())
        m_spentSinceFetch += shards;
    checkLow(wasLow);
}

void GatewayGuard::checkLow(bool wasLow)
{
    if (!wasLow && isLow())
        emit budgetLow(m_remaining, m_threshold);
}
