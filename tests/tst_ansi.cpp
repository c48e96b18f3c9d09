// The engine's escape-sequence scanner: what the log file, the echo and the filters get.
// The same table drives tst_logpane, which checks what a pane renders.

#include "ansicases.h"
#include "output/ansi.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestAnsi : public QObject {
    Q_OBJECT

private slots:
    void stripAndVisible_data();
    void stripAndVisible();
    void runsAndSgrInOrder();
    void unfinishedSequence_data();
    void unfinishedSequence();
};

void TestAnsi::stripAndVisible_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<QString>("visible");
    for (const AnsiCase &c : ansiCases())
        QTest::newRow(c.name) << c.line << c.plain << c.visible;
}

void TestAnsi::stripAndVisible()
{
    QFETCH(QString, line);
    QFETCH(QString, plain);
    QFETCH(QString, visible);
    QCOMPARE(Ansi::strip(line), plain);
    QCOMPARE(Ansi::visibleText(line), visible);
    QCOMPARE(Ansi::contains(line), line != plain);
}

void TestAnsi::runsAndSgrInOrder()
{
    const QString line = u"\x1b[1;31mred\x1b]0;t\x07 and\x1b[m plain"_s;
    Ansi::Scanner scanner(line);
    Ansi::Token t;
    QStringList seen;
    while (scanner.next(&t))
        seen << (t.kind == Ansi::Token::Sgr ? u"sgr:"_s : u"text:"_s)
                + line.sliced(t.from, t.length);
    QCOMPARE(
        seen,
        (QStringList {u"sgr:1;31"_s, u"text:red"_s, u"text: and"_s, u"sgr:"_s, u"text: plain"_s}));
}

void TestAnsi::unfinishedSequence_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("from");
    QTest::newRow("none") << u"abc"_s << 3;
    QTest::newRow("complete SGR") << u"abc\x1b[0m"_s << 7;
    QTest::newRow("lone ESC") << u"abc\x1b"_s << 3;
    QTest::newRow("CSI without its final byte") << u"abc\x1b[3"_s << 3;
    QTest::newRow("8-bit CSI cut") << u"ab\u009b3"_s << 2;
    QTest::newRow("OSC without terminator") << u"a\x1b]0;title"_s << 1;
    QTest::newRow("OSC whose ST is cut") << u"a\x1b]0;title\x1b"_s << 1;
    QTest::newRow("ESC ( cut") << u"a\x1b("_s << 1;
    QTest::newRow("after a complete one") << u"\x1b[1mx\x1b["_s << 5;
}

void TestAnsi::unfinishedSequence()
{
    QFETCH(QString, line);
    QFETCH(int, from);
    QCOMPARE(Ansi::unfinishedSequence(line), qsizetype(from));
}

QTEST_APPLESS_MAIN(TestAnsi)
#include "tst_ansi.moc"
