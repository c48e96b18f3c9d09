#pragma once

#include "discord/discordgateway.h"

#include <QObject>

// Keeps the bot's Discord gateway information (recommended shards, identify budget, concurrency)
// and counts the identifies our starts spend, so the engine can pace starts and stop a restart
// loop before it burns the day's session starts (exhausting them resets the token).
class GatewayGuard : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayGuard)

public:
    explicit GatewayGuard(QObject *parent = nullptr);

    void setCredentials(const QString &apiBase, const QString &token);
    bool hasToken() const { return !m_token.isEmpty(); }
    // Asks Discord again unless an answer younger than maxAgeMs is known (or a request runs).
    void refresh(qint64 maxAgeMs = 0);
    bool isFetching() const { return m_gateway->isBusy(); }

    const GatewayInfo &info() const { return m_info; }
    int maxConcurrency() const { return m_info.valid ? m_info.maxConcurrency : 0; }
    // Session starts left as we count them: Discord's last figure minus what we spent since.
    int remaining() const { return m_info.valid ? m_remaining : -1; }

    // Every (re)start of a process identifies each of its shards once.
    void spend(int shards);
    void setThreshold(int threshold) { m_threshold = threshold; }
    int threshold() const { return m_threshold; }
    bool isLow() const { return m_info.valid && m_remaining < m_threshold; }

    // For tests and for a profile whose answer is already known.
    void setInfo(const GatewayInfo &info);

signals:
    void fetched(const GatewayInfo &info);
    void failed(const QString &message);
    // The budget fell under the threshold (emitted when it crosses, not on every spend).
    void budgetLow(int remaining, int threshold);

private:
    void checkLow(bool wasLow);

    DiscordGateway *m_gateway;
    QString m_api;
    QString m_token;
    GatewayInfo m_info;
    int m_remaining = 0;
    int m_spentSinceFetch = 0;
    int m_threshold = 0;
};
