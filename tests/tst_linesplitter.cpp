// Tests LineSplitter: '\n' cuts, a trailing '\r' goes, the unfinished tail waits for more bytes.

#include "output/linesplitter.h"

#include <QTest>

class TestLineSplitter : public QObject {
    Q_OBJECT

private slots:
    void splitsOnNewline();
    void dropsTrailingCarriageReturn();
    void keepsBareCarriageReturnInside();
    void carriesTailAcrossFeeds();
    void byteAtATime();
    void crlfSplitAcrossFeeds();
    void flushHandsOutTail();
    void keepsEmptyLines();
    void emptyFeed();
};

void TestLineSplitter::splitsOnNewline()
{
    LineSplitter s;
    QCOMPARE(s.feed("one\ntwo\nthree\n"), QByteArrayList({"one", "two", "three"}));
    QVERIFY(!s.hasTail());
    QCOMPARE(s.tailSize(), 0);
    QVERIFY(s.flush().isEmpty());
}

void TestLineSplitter::dropsTrailingCarriageReturn()
{
    LineSplitter s;
    QCOMPARE(s.feed("a\r\nb\r\nc\n"), QByteArrayList({"a", "b", "c"}));
    // Only one '\r' belongs to the line end.
    QCOMPARE(s.feed("d\r\r\n"), QByteArrayList({"d\r"}));
}

void TestLineSplitter::keepsBareCarriageReturnInside()
{
    LineSplitter s;
    QCOMPARE(s.feed("progress\r50%\n"), QByteArrayList({"progress\r50%"}));
}

void TestLineSplitter::carriesTailAcrossFeeds()
{
    LineSplitter s;
    QCOMPARE(s.feed("hel"), QByteArrayList());
    QVERIFY(s.hasTail());
    QCOMPARE(s.tailSize(), 3);
    QCOMPARE(s.feed("lo\nwor"), QByteArrayList({"hello"}));
    QCOMPARE(s.tailSize(), 3);
    QCOMPARE(s.feed("ld"), QByteArrayList());
    QCOMPARE(s.feed("\nnext\n"), QByteArrayList({"world", "next"}));
    QVERIFY(!s.hasTail());
}

void TestLineSplitter::byteAtATime()
{
    const QByteArray input = "first\r\n\nsecond line\nthird";
    LineSplitter s;
    QByteArrayList lines;
    for (char c : input)
        lines += s.feed(QByteArray(1, c));
    QCOMPARE(lines, QByteArrayList({"first", "", "second line"}));
    QCOMPARE(s.flush(), QByteArrayList({"third"}));
}

void TestLineSplitter::crlfSplitAcrossFeeds()
{
    LineSplitter s;
    QCOMPARE(s.feed("abc\r"), QByteArrayList());
    QCOMPARE(s.feed("\n"), QByteArrayList({"abc"}));
}

void TestLineSplitter::flushHandsOutTail()
{
    LineSplitter s;
    s.feed("done\npartial");
    QCOMPARE(s.flush(), QByteArrayList({"partial"}));
    QVERIFY(!s.hasTail());
    QVERIFY(s.flush().isEmpty()); // nothing twice
    // After a flush, the next bytes start a fresh line.
    QCOMPARE(s.feed("x\n"), QByteArrayList({"x"}));
}

void TestLineSplitter::keepsEmptyLines()
{
    LineSplitter s;
    QCOMPARE(s.feed("\n\na\n\r\n\n"), QByteArrayList({"", "", "a", "", ""}));
}

void TestLineSplitter::emptyFeed()
{
    LineSplitter s;
    QVERIFY(s.feed(QByteArray()).isEmpty());
    QVERIFY(!s.hasTail());
    s.feed("t");
    QVERIFY(s.feed(QByteArray()).isEmpty());
    QCOMPARE(s.flush(), QByteArrayList({"t"}));
}

QTEST_GUILESS_MAIN(TestLineSplitter)
#include "tst_linesplitter.moc"
