// IpcServer with real sockets on 127.0.0.1 and real client processes in three languages:
// Python (tests/clients/ipcclient.py), LuaJIT with lua-socket (ipcclient.lua) and fakeshard.

#include "childprocess.h"
#include "ipc/ipcserver.h"
#include "text/translations.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kClients = QStringLiteral(CLIENTS_DIR);

std::unique_ptr<ChildProcess> python(quint16 port, const QStringList &actions,
                                     const QByteArray &helloToken = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!helloToken.isEmpty())
        env.insert(u"SHARDER_IPC_TOKEN"_s, QString::fromLatin1(helloToken));
    return std::make_unique<ChildProcess>(
        u"python3"_s, QStringList {kClients + u"/ipcclient.py"_s, QString::number(port)} + actions,
        env);
}

std::unique_ptr<ChildProcess> fakeshard(quint16 port, const QStringList &options)
{
    return std::make_unique<ChildProcess>(
        QStringLiteral(FAKESHARD_PATH),
        options + QStringList {u"bot.lua"_s, QString::number(port), u"0"_s, u"0"_s, u"1"_s});
}

// Waits until the child's stdout has this line (a condition, not a delay).
#define WAIT_LINE(child, line) QTRY_VERIFY_WITH_TIMEOUT((child)->hasLine(line), 10000)

} // namespace

class TestIpcServer : public QObject {
    Q_OBJECT

private slots:
    // The program's English plural forms ("2 more connections").
    void initTestCase() { Translations::install(*QCoreApplication::instance()); }
    void init();
    void cleanup();

    void byteAtATimeArrivesWhole();
    void thousandMessagesInOneWrite();
    void tailWithoutNewlineAfterIdle();
    void tailWithoutNewlineAtClose();
    void lineFramedTailWaitsForItsNewline();
    void strangersCannotCrowdOutChildren();
    void oversizedMessageDisconnectsOnlyItsSender();
    void connectionsPastTheLimitAreRefused();
    void stalledClientIsDroppedOthersGetEverything();
    void foreignConnectionIsRefused();
    void childThatTalksBeforeItIsKnownIsHeard();
    void foreignConnectionAcceptedWithAcceptAny();
    void helloTokenAttributesAConnection();
    void sendToReachesOnlyItsProcess();
    void relayReachesTheRightProcesses();
    void readyAndStatsControlLines();
    void portInUseIsReported();
    void luaClientRoundTrip();

private:
    // Starts a child that will be process `index`, and registers its group before it connects.
    std::unique_ptr<ChildProcess> adopt(int index, std::unique_ptr<ChildProcess> child)
    {
        m_server->setProcess(index, child->pid(), QByteArray());
        return child;
    }

    std::unique_ptr<IpcServer> m_server;
    quint16 m_port = 0;
};

void TestIpcServer::init()
{
    m_server = std::make_unique<IpcServer>();
    QString error;
    QVERIFY2(m_server->listen(u"127.0.0.1"_s, 0, &error), qPrintable(error));
    m_port = m_server->port();
    QVERIFY(m_port > 0);
}

void TestIpcServer::cleanup()
{
    m_server.reset();
}

void TestIpcServer::byteAtATimeArrivesWhole()
{
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto client = adopt(0, python(m_port, {u"bytewise:hello, manager"_s, u"noread"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 10000);
    QCOMPARE(messages.at(0).at(1).toInt(), 0);
    QCOMPARE(messages.at(0).at(2).toString(), u"hello, manager"_s);
    WAIT_LINE(client, u"DONE"_s);
    QCOMPARE(messages.count(), 1); // and nothing else: the 2 ms gaps did not split it
}

void TestIpcServer::thousandMessagesInOneWrite()
{
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto client = adopt(0, python(m_port, {u"many:1000"_s, u"noread"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1000, 10000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(messages.at(i).at(2).toString(), u"msg %1"_s.arg(i));
}

void TestIpcServer::tailWithoutNewlineAfterIdle()
{
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    // The client stays connected: only the idle delay can deliver the tail.
    auto client = adopt(0, python(m_port, {u"raw:write('hello')"_s, u"noread"_s}));
    WAIT_LINE(client, u"DONE"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 5000);
    QCOMPARE(messages.at(0).at(2).toString(), u"write('hello')"_s);
    QCOMPARE(client->process().state(), QProcess::Running);
}

void TestIpcServer::tailWithoutNewlineAtClose()
{
    IpcServer::Limits limits;
    limits.connection.tailIdleMs = 60000; // only the close can deliver it
    m_server->setLimits(limits);
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    // Attributed by its hello: this client may be gone before /proc could be asked about it.
    m_server->setProcess(0, 0, "t0k3n");
    auto client
        = python(m_port, {u"hello"_s, u"send:first"_s, u"raw:last words"_s, u"close"_s}, "t0k3n");
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 2, 10000);
    QCOMPARE(messages.at(0).at(2).toString(), u"first"_s);
    QCOMPARE(messages.at(1).at(2).toString(), u"last words"_s);
}

// Once a connection has sent a newline, a late second half of a line is never cut off by the
// idle rule: the message arrives whole (a split relay or stats line would be lost).
void TestIpcServer::lineFramedTailWaitsForItsNewline()
{
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    QSignalSpy ready(m_server.get(), &IpcServer::processReady);
    auto client
        = adopt(0,
                python(m_port,
                       {u"send:first"_s, u"raw:{\"op\":"_s, u"pause:400"_s, u"send:\"ready\"}"_s,
                        u"raw:late"_s, u"pause:400"_s, u"send: tail"_s, u"noread"_s}));
    WAIT_LINE(client, u"DONE"_s);
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 3, 5000);
    QCOMPARE(messages.at(0).at(2).toString(), u"first"_s);
    QCOMPARE(messages.at(1).at(2).toString(), u"{\"op\":\"ready\"}"_s);
    QCOMPARE(messages.at(2).at(2).toString(), u"late tail"_s);
    QCOMPARE(ready.count(), 1);
}

// A stranger holding (and reopening) connections may use up its own budget, never the
// children's: a child still gets in, and the refusals come as one notice and one summary.
void TestIpcServer::strangersCannotCrowdOutChildren()
{
    IpcServer::Limits limits;
    limits.maxStrangers = 3;
    limits.helloTimeoutMs = 60000; // the strangers stay as long as the test
    limits.noticeWindowMs = 300;
    m_server->setLimits(limits);
    QSignalSpy notices(m_server.get(), &IpcServer::notice);
    std::vector<std::unique_ptr<ChildProcess>> strangers;
    for (int i = 0; i < 6; ++i)
        strangers.push_back(python(m_port, {u"noread"_s}));
    for (const auto &s : strangers)
        QTRY_VERIFY_WITH_TIMEOUT(s->hasLine(u"DONE"_s), 30000);
    QTRY_COMPARE(m_server->strangerCount(), 3);
    // The first refusal at once, with the stranger's address; the other two summed up.
    QTRY_COMPARE_WITH_TIMEOUT(notices.count(), 2, 10000);
    const QString first = notices.at(0).at(0).toString();
    QVERIFY2(first.contains(QRegularExpression(u"from 127\\.0\\.0\\.1:[1-9][0-9]*: "_s)),
             qPrintable(first));
    QVERIFY2(notices.at(1).at(0).toString().contains(u"2 more connections"_s),
             qPrintable(notices.at(1).at(0).toString()));

    auto child = adopt(0, python(m_port, {u"echo"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(0), 1, 10000);
    QCOMPARE(m_server->broadcast(u"still yours"_s), 1);
    WAIT_LINE(child, u"IPC still yours"_s);
}

void TestIpcServer::oversizedMessageDisconnectsOnlyItsSender()
{
    QSignalSpy notices(m_server.get(), &IpcServer::notice);
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto good = adopt(0, python(m_port, {u"echo"_s}));
    auto bad = adopt(1, python(m_port, {u"big:2097152"_s, u"echo"_s}));
    WAIT_LINE(bad, u"IPC CLOSED"_s);
    QCOMPARE(notices.count(), 1);
    QVERIFY2(notices.at(0).at(0).toString().contains(u"process 1"_s),
             qPrintable(notices.at(0).at(0).toString()));
    QVERIFY(notices.at(0).at(0).toString().contains(u"limit"_s));
    QCOMPARE(messages.count(), 0);
    QTRY_COMPARE(m_server->connectionCount(), 1);
    QCOMPARE(m_server->broadcast(u"still here"_s), 1);
    WAIT_LINE(good, u"IPC still here"_s);
}

void TestIpcServer::connectionsPastTheLimitAreRefused()
{
    IpcServer::Limits limits;
    limits.maxStrangers = 2;
    m_server->setLimits(limits);
    m_server->setAcceptAny(true);
    QSignalSpy notices(m_server.get(), &IpcServer::notice);
    auto a = python(m_port, {u"echo"_s});
    auto b = python(m_port, {u"echo"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 2, 10000);
    auto c = python(m_port, {u"echo"_s});
    WAIT_LINE(c, u"IPC CLOSED"_s);
    QCOMPARE(notices.count(), 1);
    QVERIFY(notices.at(0).at(0).toString().contains(u"limit"_s));
    QCOMPARE(m_server->connectionCount(), 2);
    QCOMPARE(m_server->broadcast(u"to both"_s), 2);
    WAIT_LINE(a, u"IPC to both"_s);
    WAIT_LINE(b, u"IPC to both"_s);
}

void TestIpcServer::stalledClientIsDroppedOthersGetEverything()
{
    IpcServer::Limits limits;
    limits.connection.maxBacklogBytes = 1024 * 1024;
    m_server->setLimits(limits);
    QSignalSpy notices(m_server.get(), &IpcServer::notice);
    auto stalled = adopt(
        0,
        fakeshard(m_port,
                  {u"--ipc-connect"_s, u"--print=CONNECTED"_s, u"--ipc-noread"_s, u"--run"_s}));
    auto b = adopt(1, python(m_port, {u"echo"_s}));
    auto c = adopt(2, python(m_port, {u"echo"_s}));
    WAIT_LINE(stalled, u"CONNECTED"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 3, 10000);

    // 10,000 broadcasts of 1000 bytes (10 MB: more than the kernel buffers for one socket),
    // 100 per turn of the event loop, as a busy manager would send them.
    const QString padding(980, u'.');
    int sent = 0;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        for (int i = 0; i < 100 && sent < 10000; ++i, ++sent)
            m_server->broadcast(u"b %1 "_s.arg(sent, 5, 10, QChar(u'0')) + padding);
        if (sent == 10000)
            pump.stop();
    });
    pump.start(0);
    QTRY_VERIFY_WITH_TIMEOUT(!pump.isActive(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(b->linesStartingWith(u"IPC b "_s).size(), 10000, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(c->linesStartingWith(u"IPC b "_s).size(), 10000, 60000);
    for (const auto *child : {b.get(), c.get()}) {
        const QStringList got = child->linesStartingWith(u"IPC b "_s);
        for (int i = 0; i < 10000; ++i)
            QCOMPARE(got.at(i), u"IPC b %1 "_s.arg(i, 5, 10, QChar(u'0')) + padding);
    }
    QCOMPARE(m_server->connectionCount(), 2);
    QCOMPARE(m_server->connectionCount(0), 0);
    QCOMPARE(notices.count(), 1);
    QVERIFY2(notices.at(0).at(0).toString().contains(u"not reading"_s),
             qPrintable(notices.at(0).at(0).toString()));
}

void TestIpcServer::foreignConnectionIsRefused()
{
    IpcServer::Limits limits;
    limits.helloTimeoutMs = 300;
    m_server->setLimits(limits);
    QSignalSpy notices(m_server.get(), &IpcServer::notice);
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    // Not registered with setProcess: not one of ours.
    auto stranger = python(m_port, {u"echo"_s});
    WAIT_LINE(stranger, u"IPC CLOSED"_s);
    QCOMPARE(notices.count(), 1);
    QVERIFY(notices.at(0).at(0).toString().contains(u"not one of our processes"_s));
    QCOMPARE(m_server->connectionCount(), 0);

    // Data without a hello is held, never delivered, and the sender dropped at the deadline.
    auto talker = python(m_port, {u"send:let me in"_s, u"echo"_s});
    WAIT_LINE(talker, u"IPC CLOSED"_s);
    QCOMPARE(messages.count(), 0);
    QCOMPARE(m_server->heldLineCount(), 0);

    // One that talks past the bound is dropped at once, long before the deadline.
    limits.helloTimeoutMs = 60000;
    m_server->setLimits(limits);
    auto flooder = python(m_port, {u"many:100"_s, u"echo"_s});
    WAIT_LINE(flooder, u"IPC CLOSED"_s);
    QCOMPARE(messages.count(), 0);
    QCOMPARE(m_server->heldLineCount(), 0);
}

void TestIpcServer::childThatTalksBeforeItIsKnownIsHeard()
{
    // A child connects and talks before the manager has registered its pid (its start is
    // noticed a turn later): its lines wait and arrive, in order, once it is known.
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto child = python(m_port, {u"send:early bird"_s, u"send:second"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->heldLineCount(), 2, 10000);
    QCOMPARE(messages.count(), 0);
    m_server->setProcess(0, child->pid(), QByteArray());
    QTRY_COMPARE(messages.count(), 2);
    QCOMPARE(messages.at(0).at(1).toInt(), 0);
    QCOMPARE(messages.at(0).at(2).toString(), u"early bird"_s);
    QCOMPARE(messages.at(1).at(2).toString(), u"second"_s);
    QCOMPARE(m_server->heldLineCount(), 0);
    QCOMPARE(m_server->sendTo(0, u"welcome"_s), 1);
    WAIT_LINE(child, u"IPC welcome"_s);
}

void TestIpcServer::foreignConnectionAcceptedWithAcceptAny()
{
    m_server->setAcceptAny(true);
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto stranger = python(m_port, {u"send:from outside"_s, u"echo"_s});
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 10000);
    QCOMPARE(messages.at(0).at(1).toInt(), -1);
    QCOMPARE(messages.at(0).at(2).toString(), u"from outside"_s);
    QCOMPARE(m_server->broadcast(u"welcome"_s), 1);
    WAIT_LINE(stranger, u"IPC welcome"_s);
}

void TestIpcServer::helloTokenAttributesAConnection()
{
    // No pid registered (as where /proc cannot tell): the hello line alone attributes it.
    m_server->setProcess(3, 0, "s3cr3t");
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto client = python(m_port, {u"hello"_s, u"send:after hello"_s, u"echo"_s}, "s3cr3t");
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 10000);
    QCOMPARE(messages.at(0).at(1).toInt(), 3); // the hello itself is not a message
    QCOMPARE(messages.at(0).at(2).toString(), u"after hello"_s);
    QCOMPARE(m_server->sendTo(3, u"for three"_s), 1);
    WAIT_LINE(client, u"IPC for three"_s);

    // A wrong token is not enough.
    IpcServer::Limits limits;
    limits.helloTimeoutMs = 300;
    m_server->setLimits(limits);
    auto liar = python(m_port, {u"hello"_s, u"echo"_s}, "guess");
    WAIT_LINE(liar, u"IPC CLOSED"_s);
}

void TestIpcServer::sendToReachesOnlyItsProcess()
{
    auto zero = adopt(
        0, fakeshard(m_port, {u"--ipc-connect"_s, u"--print=CONNECTED"_s, u"--ipc-echo"_s}));
    auto one = adopt(1, python(m_port, {u"echo"_s}));
    auto two = adopt(2, python(m_port, {u"echo"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 3, 10000);
    QCOMPARE(m_server->connectionCount(1), 1);
    QCOMPARE(m_server->sendTo(1, u"only for one"_s), 1);
    QCOMPARE(m_server->broadcast(u"for all"_s), 3);
    WAIT_LINE(zero, u"IPC for all"_s);
    WAIT_LINE(one, u"IPC for all"_s);
    WAIT_LINE(two, u"IPC for all"_s);
    // Everything sent before "for all" has arrived by now (one connection, in order).
    QCOMPARE(one->linesStartingWith(u"IPC "_s),
             QStringList({u"IPC only for one"_s, u"IPC for all"_s}));
    QCOMPARE(zero->linesStartingWith(u"IPC "_s), QStringList({u"IPC for all"_s}));
    QCOMPARE(two->linesStartingWith(u"IPC "_s), QStringList({u"IPC for all"_s}));
    QCOMPARE(m_server->sendTo(7, u"nobody"_s), 0);
}

void TestIpcServer::relayReachesTheRightProcesses()
{
    auto zero = adopt(0, python(m_port, {u"echo"_s}));
    auto one = adopt(1, python(m_port, {u"echo"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 2, 10000);
    auto two = adopt(2,
                     python(m_port,
                            {u"send:{\"op\":\"relay\",\"to\":\"all\",\"d\":{\"cmd\":\"reload\"}}"_s,
                             u"send:{\"op\":\"relay\",\"to\":1,\"d\":\"just you\"}"_s, u"echo"_s}));
    WAIT_LINE(one, u"IPC just you"_s);
    WAIT_LINE(zero, u"IPC {\"cmd\":\"reload\"}"_s);
    QCOMPARE(one->linesStartingWith(u"IPC "_s),
             QStringList({u"IPC {\"cmd\":\"reload\"}"_s, u"IPC just you"_s}));
    QCOMPARE(zero->linesStartingWith(u"IPC "_s), QStringList({u"IPC {\"cmd\":\"reload\"}"_s}));
    // "all" means all others: the sender does not get its own relay back.
    QCOMPARE(m_server->broadcast(u"end"_s), 3);
    WAIT_LINE(two, u"IPC end"_s);
    QCOMPARE(two->linesStartingWith(u"IPC "_s), QStringList({u"IPC end"_s}));
}

void TestIpcServer::readyAndStatsControlLines()
{
    QSignalSpy ready(m_server.get(), &IpcServer::processReady);
    QSignalSpy stats(m_server.get(), &IpcServer::statsReceived);
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    auto client
        = adopt(4,
                python(m_port,
                       {u"send:{\"op\":\"ready\"}"_s,
                        u"send:{\"op\":\"stats\",\"guilds\":1500,\"ping\":42,\"name\":\"x\"}"_s,
                        u"noread"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(stats.count(), 1, 10000);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toInt(), 4);
    const QJsonObject s = stats.at(0).at(1).toJsonObject();
    QCOMPARE(stats.at(0).at(0).toInt(), 4);
    QCOMPARE(s.value(u"guilds"_s).toInt(), 1500);
    QCOMPARE(s.value(u"ping"_s).toInt(), 42);
    QVERIFY(!s.contains(u"name"_s)); // numbers only
    QCOMPARE(messages.count(), 2); // control lines are messages too
}

void TestIpcServer::portInUseIsReported()
{
    IpcServer second;
    QString error;
    QVERIFY(!second.listen(u"127.0.0.1"_s, m_port, &error));
    QVERIFY2(error.contains(QString::number(m_port)), qPrintable(error));
    QVERIFY2(error.contains(u"another program is using it"_s), qPrintable(error));
    QVERIFY2(error.startsWith(u"port:"_s), qPrintable(error));
    QVERIFY(m_server->isListening()); // the first server is untouched
}

void TestIpcServer::luaClientRoundTrip()
{
    if (QStandardPaths::findExecutable(u"luajit"_s).isEmpty())
        QSKIP("luajit is not installed (scripts/install-deps.sh installs it)");
    m_server->setProcess(5, 0, "lua-token");
    QSignalSpy messages(m_server.get(), &IpcServer::messageReceived);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SHARDER_IPC_TOKEN"_s, u"lua-token"_s);
    ChildProcess lua(u"luajit"_s,
                     {kClients + u"/ipcclient.lua"_s, QString::number(m_port), u"from lua"_s}, env);
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, 10000);
    QCOMPARE(messages.at(0).at(1).toInt(), 5);
    QCOMPARE(messages.at(0).at(2).toString(), u"from lua"_s);
    QCOMPARE(m_server->sendTo(5, u"to lua"_s), 1);
    QTRY_VERIFY_WITH_TIMEOUT(lua.hasLine(u"IPC to lua"_s), 10000);
}

QTEST_GUILESS_MAIN(TestIpcServer)
#include "tst_ipcserver.moc"
