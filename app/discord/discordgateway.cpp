#include "discord/discordgateway.h"

#include "diagnostics.h"
#include "text/units.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

using namespace Qt::StringLiterals;

QString GatewayInfo::describe() const
{
    return QObject::tr(
               "Discord recommends %1 shards; %2 of %3 session starts left today (resets in %4); "
               "%5 identify per 5 s")
        .arg(shards)
        .arg(sessionRemaining)
        .arg(sessionTotal)
        .arg(Units::duration(resetAfterMs))
        .arg(maxConcurrency);
}

DiscordGateway::DiscordGateway(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

DiscordGateway::~DiscordGateway()
{
    abort();
}

void DiscordGateway::abort()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void DiscordGateway::fetch(const QString &apiBase, const QString &token)
{
    abort();
    if (token.isEmpty()) {
        emit failed(tr("No token: set the bot token first (Set Token…, or --token-from-env)."));
        return;
    }
    QString base = apiBase;
    while (base.endsWith(u'/'))
        base.chop(1);
    QNetworkRequest request(QUrl(base + u"/gateway/bot"_s));
    request.setRawHeader("Authorization", "Bot " + token.toUtf8());
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      u"DiscordBot (https://github.com/shard-manager/shard-manager, %1)"_s.arg(
                          QStringLiteral(SHARDMANAGER_VERSION)));
    request.setTransferTimeout(m_timeoutMs);
    // The URL only: the request's Authorization header carries the token.
    qCDebug(lcDiscord) << "asking" << request.url().toString() << "timeout" << m_timeoutMs << "ms";
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &DiscordGateway::onFinished);
}

GatewayInfo DiscordGateway::parse(const QByteArray &json, QString *error)
{
    GatewayInfo info;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject o = doc.object();
    const QJsonObject limit = o.value(u"session_start_limit"_s).toObject();
    if (parseError.error != QJsonParseError::NoError || !o.value(u"shards"_s).isDouble()
        || !limit.value(u"remaining"_s).isDouble()) {
        if (error)
            *error
                = tr("Discord's answer was not the expected gateway information (%1)")
                      .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                        : tr("fields missing"));
        return info;
    }
    info.shards = o.value(u"shards"_s).toInt();
    info.sessionTotal = limit.value(u"total"_s).toInt();
    info.sessionRemaining = limit.value(u"remaining"_s).toInt();
    info.resetAfterMs = qint64(limit.value(u"reset_after"_s).toDouble());
    info.maxConcurrency = std::max(1, limit.value(u"max_concurrency"_s).toInt(1));
    info.fetchedAt = QDateTime::currentDateTime();
    info.valid = info.shards >= 1;
    if (!info.valid && error)
        *error = tr("Discord recommended %1 shards").arg(info.shards);
    return info;
}

void DiscordGateway::onFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    qCDebug(lcDiscord) << "answer: HTTP" << status << reply->error() << body.size() << "bytes";

    if (status == 401) {
        emit failed(tr("Discord refused the token (401 Unauthorized): check it with Set Token…"));
        return;
    }
    if (status == 429) {
        // retry_after is in the JSON body (seconds, fractional); the header is a fallback.
        double retry = QJsonDocument::fromJson(body).object().value(u"retry_after"_s).toDouble(-1);
        if (retry < 0)
            retry = reply->rawHeader("Retry-After").toDouble();
        emit failed(
            tr("Discord is rate limiting us (429): try again in %1 s").arg(retry, 0, 'f', 1));
        return;
    }
    if (reply->error() == QNetworkReply::OperationCanceledError
        || reply->error() == QNetworkReply::TimeoutError) {
        emit failed(tr("Discord did not answer within %1 s").arg(m_timeoutMs / 1000.0, 0, 'f', 0));
        return;
    }
    if (status == 0 || (reply->error() != QNetworkReply::NoError && status < 400)) {
        emit failed(tr("Cannot reach Discord: %1").arg(reply->errorString()));
        return;
    }
    if (status >= 400) {
        const QString text = QJsonDocument::fromJson(body).object().value(u"message"_s).toString();
        emit failed(tr("Discord answered %1%2")
                        .arg(status)
                        .arg(text.isEmpty() ? QString() : u": "_s + text));
        return;
    }
    QString error;
    const GatewayInfo info = parse(body, &error);
    if (!info.valid) {
        emit failed(error);
        return;
    }
    emit fetched(info);
}
