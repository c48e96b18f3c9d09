#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;

// What Discord says about a bot's gateway (GET /gateway/bot).
struct GatewayInfo {
    bool valid = false;
    int shards = 0; // recommended shard count
    int sessionTotal = 0; // session_start_limit.total (identifies per day)
    int sessionRemaining = 0; // session_start_limit.remaining
    qint64 resetAfterMs = 0; // session_start_limit.reset_after
    int maxConcurrency = 1; // session_start_limit.max_concurrency
    QDateTime fetchedAt;

    QString describe() const; // "recommends 12 shards; 998 of 1000 session starts left, resets in 3
                              // h 2 min; 1 identify per 5 s"
};

// Asks Discord's HTTP API for the gateway information of a bot. One request at a time; every
// failure (401, 429, timeout, network, malformed answer) ends in failed() with a clear message.
class DiscordGateway : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscordGateway)

public:
    explicit DiscordGateway(QObject *parent = nullptr);
    ~DiscordGateway() override;

    void setTimeout(int ms) { m_timeoutMs = ms; }
    // apiBase such as https://discord.com/api/v10 (profile key discordApi).
    void fetch(const QString &apiBase, const QString &token);
    bool isBusy() const { return m_reply != nullptr; }
    void abort();

    static GatewayInfo parse(const QByteArray &json, QString *error);

signals:
    void fetched(const GatewayInfo &info);
    void failed(const QString &message);

private:
    void onFinished();

    QNetworkAccessManager *m_network;
    QNetworkReply *m_reply = nullptr;
    int m_timeoutMs = 15000;
};
