// SocketOwner with real sockets and real child processes in their own process groups: each
// connection is attributed to the child that holds it, over IPv4, IPv6 and a dual-stack server,
// with constant work per connection (issue 13: the old way read every process on the machine
// and all of /proc/net/tcp for each accept).

#include "childprocess.h"
#include "platform/socketowner.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// A fakeshard that connects to port and sends its index, so the test knows who holds what.
std::unique_ptr<ChildProcess> connectingChild(quint16 port, int index)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"CHILD_INDEX"_s, QString::number(index));
    return std::make_unique<ChildProcess>(
        QStringLiteral(FAKESHARD_PATH),
        QStringList {u"--ipc-connect"_s, u"--ipc-send=${CHILD_INDEX}"_s, u"--run"_s, u"bot.lua"_s,
                     QString::number(port), u"0"_s, u"0"_s, u"1"_s},
        env);
}

QTcpSocket *nextConnection(QTcpServer &server)
{
    if (!server.hasPendingConnections() && !server.waitForNewConnection(10000))
        return nullptr;
    return server.nextPendingConnection();
}

// The index the child sent on its connection.
int sentIndex(QTcpSocket *socket)
{
    while (!socket->canReadLine()) {
        if (!socket->waitForReadyRead(10000))
            return -2;
    }
    bool ok = false;
    const int index = socket->readLine().trimmed().toInt(&ok);
    return ok ? index : -2;
}

int ownerOf(const QTcpSocket *socket, const QHash<qint64, int> &groups)
{
    return SocketOwner::find(socket->peerAddress(), socket->peerPort(), socket->localAddress(),
                             socket->localPort(), groups);
}

} // namespace

class TestSocketOwner : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(SocketOwner::isSupported()); }
    void manyChildrenEachOwnTheirConnection_data();
    void manyChildrenEachOwnTheirConnection();
    void workPerConnectionIsConstant();
    void strangerIsNobodys();
    void ipv6ClientIsFound();
};

void TestSocketOwner::manyChildrenEachOwnTheirConnection_data()
{
    QTest::addColumn<QHostAddress>("listen");
    QTest::newRow("IPv4 loopback") << QHostAddress(QHostAddress::LocalHost);
    // Children connect to 127.0.0.1; a dual-stack server sees them as ::ffff:127.0.0.1.
    QTest::newRow("dual stack") << QHostAddress(QHostAddress::Any);
}

void TestSocketOwner::manyChildrenEachOwnTheirConnection()
{
    QFETCH(QHostAddress, listen);
    QTcpServer server;
    if (!server.listen(listen, 0))
        QSKIP("no dual-stack listening here");
    constexpr int kChildren = 40;
    std::vector<std::unique_ptr<ChildProcess>> children;
    QHash<qint64, int> groups;
    for (int i = 0; i < kChildren; ++i) {
        children.push_back(connectingChild(server.serverPort(), i));
        QVERIFY(children.back()->process().waitForStarted());
        groups.insert(children.back()->pid(), i);
    }
    // Connections arrive in whatever order the children run: each must still be its holder's.
    for (int n = 0; n < kChildren; ++n) {
        QTcpSocket *socket = nextConnection(server);
        QVERIFY(socket);
        const int index = sentIndex(socket);
        QVERIFY(index >= 0);
        QCOMPARE(ownerOf(socket, groups), index);
        // A group that is not listed is not the owner, even with the socket in the cache.
        QHash<qint64, int> others = groups;
        others.remove(children.at(index)->pid());
        QCOMPARE(ownerOf(socket, others), -1);
    }
}

void TestSocketOwner::workPerConnectionIsConstant()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    constexpr int kChildren = 30;
    std::vector<std::unique_ptr<ChildProcess>> children;
    QHash<qint64, int> groups;
    const SocketOwner::Work before = SocketOwner::work();
    for (int i = 0; i < kChildren; ++i) {
        children.push_back(connectingChild(server.serverPort(), i));
        QVERIFY(children.back()->process().waitForStarted());
        groups.insert(children.back()->pid(), i);
        QTcpSocket *socket = nextConnection(server);
        QVERIFY(socket);
        QCOMPARE(sentIndex(socket), i);
        QCOMPARE(ownerOf(socket, groups), i);
        // Asked again (a second look, as IpcServer does for waiting connections): from the cache.
        QCOMPARE(ownerOf(socket, groups), i);
    }
    const SocketOwner::Work after = SocketOwner::work();
    QCOMPARE(after.lookups - before.lookups, 2 * kChildren);
    // Each new child's descriptors are read once, nobody else's: the work does not grow with the
    // number of children (before: every process on the machine, for every connection).
    QCOMPARE(after.processesScanned - before.processesScanned, kChildren);
    QVERIFY2(after.descriptorsRead - before.descriptorsRead <= 20 * kChildren,
             qPrintable(QString::number(after.descriptorsRead - before.descriptorsRead)));
}

void TestSocketOwner::strangerIsNobodys()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    auto child = connectingChild(server.serverPort(), 0);
    QVERIFY(child->process().waitForStarted());
    QTcpSocket *ours = nextConnection(server);
    QVERIFY(ours);
    QCOMPARE(sentIndex(ours), 0);
    const QHash<qint64, int> groups {{child->pid(), 0}};
    QCOMPARE(ownerOf(ours, groups), 0);

    // This test process is not in the child's group.
    QTcpSocket stranger;
    stranger.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(stranger.waitForConnected(5000));
    QTcpSocket *theirs = nextConnection(server);
    QVERIFY(theirs);
    const SocketOwner::Work before = SocketOwner::work();
    QCOMPARE(ownerOf(theirs, groups), -1);
    // Only our one child was looked at.
    QCOMPARE(SocketOwner::work().processesScanned - before.processesScanned, 1);
}

void TestSocketOwner::ipv6ClientIsFound()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHostIPv6, 0))
        QSKIP("no IPv6 loopback here");
    ChildProcess child(u"python3"_s,
                       {u"-c"_s,
                        u"import socket, sys, time\n"
                        "s = socket.create_connection(('::1', int(sys.argv[1])))\n"
                        "s.sendall(b'7\\n')\n"
                        "time.sleep(60)\n"_s,
                        QString::number(server.serverPort())});
    QVERIFY(child.process().waitForStarted());
    QTcpSocket *socket = nextConnection(server);
    QVERIFY(socket);
    QCOMPARE(sentIndex(socket), 7);
    QCOMPARE(ownerOf(socket, {{child.pid(), 7}}), 7);
}

QTEST_GUILESS_MAIN(TestSocketOwner)
#include "tst_socketowner.moc"
