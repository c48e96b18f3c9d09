// IpcFramer without sockets: message boundaries and the size limit, however reads cut the bytes.

#include "ipc/ipcframer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestIpcFramer : public QObject {
    Q_OBJECT

private slots:
    void messageOfExactlyTheLimitPassesHoweverItIsCut();
    void overTheLimitIsRefused();
    void lineFramedTailIsNoIdleMessage();
};

// A message of exactly the limit ending in "\r\n": a read that ends between '\r' and '\n' must
// not make it count one byte over (found by fuzz_ipcframer).
void TestIpcFramer::messageOfExactlyTheLimitPassesHoweverItIsCut()
{
    const QByteArray message(16, 'x');
    IpcFramer whole(16);
    QCOMPARE(whole.feed(QByteArray(message + "\r\n")).messages, QByteArrayList {message});
    IpcFramer cut(16);
    const IpcFramer::Result first = cut.feed(QByteArray(message + "\r"));
    QCOMPARE(first.oversized, 0);
    const IpcFramer::Result second = cut.feed("\n");
    QCOMPARE(second.oversized, 0);
    QCOMPARE(second.messages, QByteArrayList {message});
}

void TestIpcFramer::overTheLimitIsRefused()
{
    IpcFramer framer(16);
    QVERIFY(framer.feed(QByteArray(17, 'x')).oversized > 0);
    IpcFramer lines(16);
    QVERIFY(lines.feed(QByteArray(QByteArray(17, 'x') + "\n")).oversized > 0);
}

void TestIpcFramer::lineFramedTailIsNoIdleMessage()
{
    IpcFramer seed;
    seed.feed("hello");
    QCOMPARE(seed.takeIdleTail(), QByteArrayList {"hello"});
    IpcFramer framed;
    QCOMPARE(framed.feed("a\nhal").messages, QByteArrayList {"a"});
    QVERIFY(framed.isLineFramed());
    QVERIFY(framed.takeIdleTail().isEmpty());
    QCOMPARE(framed.feed("f\n").messages, QByteArrayList {"half"});
}

QTEST_APPLESS_MAIN(TestIpcFramer)
#include "tst_ipcframer.moc"
