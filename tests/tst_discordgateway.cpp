// DiscordGateway against a local fake of Discord's HTTP API: the answer is parsed, the token is
// sent as "Bot <token>", and every failure (401, 429, timeout, refused, malformed) has a message.

#include "discord/discordgateway.h"
#include "fakediscord.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestDiscordGateway : public QObject {
    Q_OBJECT

private slots:
    void fetchesAndParses();
    void failures_data();
    void failures();
    void timeout();
    void refusedConnection();
    void noToken();
};

void TestDiscordGateway::fetchesAndParses()
{
    FakeDiscord discord;
    discord.body = FakeDiscord::gatewayBody(12, 987, 1000, 16);
    DiscordGateway gateway;
    QSignalSpy fetched(&gateway, &DiscordGateway::fetched);
    QSignalSpy failed(&gateway, &DiscordGateway::failed);
    gateway.fetch(discord.api(), u"abc.def"_s);
    QVERIFY(fetched.wait(10000));
    QCOMPARE(failed.count(), 0);
    const auto info = fetched.at(0).at(0).value<GatewayInfo>();
    QVERIFY(info.valid);
    QCOMPARE(info.shards, 12);
    QCOMPARE(info.sessionRemaining, 987);
    QCOMPARE(info.sessionTotal, 1000);
    QCOMPARE(info.maxConcurrency, 16);
    QCOMPARE(info.resetAfterMs, 3600000);
    QVERIFY(info.describe().contains(u"12 shards"_s));
    QCOMPARE(discord.requests.size(), 1);
    const QByteArray request = discord.requests.first();
    QVERIFY2(request.startsWith("GET /api/v10/gateway/bot "), request.constData());
    QVERIFY(request.contains("Authorization: Bot abc.def\r\n"));
}

void TestDiscordGateway::failures_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("401") << 401 << QByteArray(R"({"message":"401: Unauthorized","code":0})")
                         << u"refused the token (401"_s;
    QTest::newRow("429")
        << 429
        << QByteArray(
               R"({"message":"You are being rate limited.","retry_after":2.5,"global":false})")
        << u"try again in 2.5 s"_s;
    QTest::newRow("500") << 500 << QByteArray(R"({"message":"Internal Server Error"})")
                         << u"Discord answered 500: Internal Server Error"_s;
    QTest::newRow("malformed") << 200 << QByteArray("{\"shards\": 3, \"session_start")
                               << u"not the expected gateway information"_s;
    QTest::newRow("fields missing")
        << 200 << QByteArray(R"({"url":"wss://x"})") << u"fields missing"_s;
}

void TestDiscordGateway::failures()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    FakeDiscord discord;
    discord.status = status;
    discord.body = body;
    DiscordGateway gateway;
    QSignalSpy fetched(&gateway, &DiscordGateway::fetched);
    QSignalSpy failed(&gateway, &DiscordGateway::failed);
    gateway.fetch(discord.api(), u"Zq9.secret"_s);
    QVERIFY(failed.wait(10000));
    QCOMPARE(fetched.count(), 0);
    QVERIFY2(failed.at(0).at(0).toString().contains(expected),
             qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(
        !failed.at(0).at(0).toString().contains(u"Zq9.secret"_s)); // never the token in a message
}

void TestDiscordGateway::timeout()
{
    FakeDiscord discord;
    discord.silent = true;
    DiscordGateway gateway;
    gateway.setTimeout(300);
    QSignalSpy failed(&gateway, &DiscordGateway::failed);
    gateway.fetch(discord.api(), u"tok"_s);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().contains(u"did not answer"_s),
             qPrintable(failed.at(0).at(0).toString()));
}

void TestDiscordGateway::refusedConnection()
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port nobody listens on once the probe is gone
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    DiscordGateway gateway;
    QSignalSpy failed(&gateway, &DiscordGateway::failed);
    gateway.fetch(u"http://127.0.0.1:%1/api"_s.arg(port), u"tok"_s);
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.at(0).at(0).toString().startsWith(u"Cannot reach Discord"_s),
             qPrintable(failed.at(0).at(0).toString()));
}

void TestDiscordGateway::noToken()
{
    DiscordGateway gateway;
    QSignalSpy failed(&gateway, &DiscordGateway::failed);
    gateway.fetch(u"http://127.0.0.1:1/api"_s, QString());
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(u"No token"_s));
}

QTEST_GUILESS_MAIN(TestDiscordGateway)
#include "tst_discordgateway.moc"
