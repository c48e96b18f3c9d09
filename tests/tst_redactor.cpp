// Redaction of the token in child output: whatever a sink finally shows (the log file's plain
// text, a pane's rendering) must not hold it, and a token cut across writes is caught.

#include "output/ansi.h"
#include "output/outputchannel.h"
#include "output/redactor.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString kToken = u"MTAxNjQ4.GhJkLm.secret-token_value42"_s;

// The three places a line ends up: as it is (events, panes' source), plain (log file, echo to a
// pipe), rendered (a pane).
bool anySinkShows(const QString &line, const QString &secret)
{
    return line.contains(secret) || Ansi::strip(line).contains(secret)
        || Ansi::visibleText(line).contains(secret);
}
} // namespace

class TestRedactor : public QObject {
    Q_OBJECT

private slots:
    void redactsWhatEverySinkShows_data();
    void redactsWhatEverySinkShows();
    void keepsColoursWhenTheTokenIsWhole();
    void withoutSecretsNothingChanges();
    void wholeTokenAtTheEndIsNotCut();
    void holdFrom_data();
    void holdFrom();
    void channelJoinsATokenCutAcrossWrites();
    void channelDeliversWhatIsNotATokenPrefix();
    void channelHoldsAnUnfinishedEscape();
    void channelGivesEverythingAtTheEnd();
};

void TestRedactor::redactsWhatEverySinkShows_data()
{
    QTest::addColumn<QString>("line");
    const QString a = kToken.first(10), b = kToken.sliced(10);
    QTest::newRow("plain") << u"token is "_s + kToken;
    QTest::newRow("twice") << kToken + kToken;
    QTest::newRow("SGR reset inside (the reported leak)") << a + u"\x1b[0m"_s + b;
    QTest::newRow("colour inside") << u"\x1b[32m"_s + a + u"\x1b[1;31m"_s + b + u"\x1b[0m"_s;
    QTest::newRow("ESC ( B inside") << a + u"\x1b(B"_s + b;
    QTest::newRow("OSC inside") << a + u"\x1b]0;title\x07"_s + b;
    QTest::newRow("DCS inside") << a + u"\x1bPdata\x1b\\"_s + b;
    QTest::newRow("8-bit CSI inside") << a + u"\u009b0m"_s + b;
    QTest::newRow("control characters inside") << a + u"\x07\x01"_s + b;
    QTest::newRow("shown after a carriage return") << u"progress\r"_s + a + u"\x1b[m"_s + b;
    QTest::newRow("OSC that swallows the CR") << u"\x1b]0;x\r"_s + kToken + u"\x07"_s;
    QTest::newRow("every character coloured") << [] {
        QString s;
        for (QChar c : kToken)
            s += u"\x1b[3"_s + QString::number(c.unicode() % 8) + u'm' + c;
        return s;
    }();
}

void TestRedactor::redactsWhatEverySinkShows()
{
    QFETCH(QString, line);
    QVERIFY(anySinkShows(line, kToken)); // the case is a real leak without redaction
    Redactor r;
    r.setSecrets({kToken});
    const QString out = r.redact(line);
    QVERIFY2(!anySinkShows(out, kToken), "the token is still shown");
    QVERIFY(out.contains(u"[token]"_s));
}

void TestRedactor::keepsColoursWhenTheTokenIsWhole()
{
    Redactor r;
    r.setSecrets({kToken});
    QCOMPARE(r.redact(u"\x1b[31mtoken "_s + kToken + u"\x1b[0m"_s),
             u"\x1b[31mtoken [token]\x1b[0m"_s);
}

void TestRedactor::withoutSecretsNothingChanges()
{
    Redactor r;
    r.setSecrets({QString()});
    QVERIFY(r.isEmpty());
    const QString line = u"\x1b[31m"_s + kToken.first(5) + u"\x1b[0m"_s + kToken.sliced(5);
    QCOMPARE(r.redact(line), line);
    QCOMPARE(r.holdFrom(u"abc\x1b[3"_s), qsizetype(3)); // escapes are still held back
    QCOMPARE(r.holdFrom(u"ab"_s), qsizetype(2));
}

// A token that ends with its own first characters, whole at the end of a partial line: its end is
// no start of another token, and cutting there would send each half out unredacted (found by
// fuzz_redactor).
void TestRedactor::wholeTokenAtTheEndIsNotCut()
{
    const QString token = u"Nz.selfsimilar-token.Nz"_s;
    Redactor r;
    r.setSecrets({token});
    const QString line = u"partial line ends with "_s + token;
    QCOMPARE(r.holdFrom(line), line.size());
    OutputChannel c(&r);
    c.feed(line.toUtf8());
    QCOMPARE(c.takePartial().toStringList(), QStringList {u"partial line ends with [token]"_s});
}

void TestRedactor::holdFrom_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("from");
    QTest::newRow("nothing like it") << u"hello world"_s << 11;
    QTest::newRow("ends with its first character") << u"say "_s + kToken.first(1) << 4;
    QTest::newRow("ends with its first ten") << u"say "_s + kToken.first(10) << 4;
    QTest::newRow("the whole token is not held") << u"say "_s + kToken << int(4 + kToken.size());
    QTest::newRow("its first ten and a colour reset")
        << u"say "_s + kToken.first(10) + u"\x1b[0m"_s << 4;
    QTest::newRow("its first ten and a cut escape")
        << u"say "_s + kToken.first(10) + u"\x1b["_s << 4;
    QTest::newRow("a colour inside its first part")
        << u"x"_s + kToken.first(3) + u"\x1b[1m"_s + kToken.sliced(3, 4) << 1;
    QTest::newRow("its middle is not its start") << u"say "_s + kToken.sliced(5, 10) << 14;
}

void TestRedactor::holdFrom()
{
    QFETCH(QString, line);
    QFETCH(int, from);
    Redactor r;
    r.setSecrets({kToken});
    QCOMPARE(r.holdFrom(line), qsizetype(from));
}

void TestRedactor::channelJoinsATokenCutAcrossWrites()
{
    Redactor r;
    r.setSecrets({kToken});
    OutputChannel c(&r);
    QVERIFY(c.feed(u"token: "_s.toUtf8() + kToken.first(12).toUtf8()).isEmpty());
    // The partial-line delay passes: the start of the token stays behind.
    QCOMPARE(c.takePartial().toStringList(), QStringList {u"token: "_s});
    QVERIFY(!c.hasTail());
    // Minutes later, the rest; then a third write cut again, with a colour code inside.
    QCOMPARE(c.feed(kToken.sliced(12).toUtf8() + " ok\n" + kToken.first(3).toUtf8()).toStringList(),
             QStringList {u"[token] ok"_s});
    QVERIFY(c.takePartial().isEmpty());
    QVERIFY(c.feed("\x1b[0m").isEmpty());
    QVERIFY(c.takePartial().isEmpty());
    const QStringList last = c.feed(kToken.sliced(3).toUtf8() + '\n').toStringList();
    QCOMPARE(last.size(), 1);
    QVERIFY(!anySinkShows(last.first(), kToken));
    QCOMPARE(Ansi::strip(last.first()), u"[token]"_s);
}

void TestRedactor::channelDeliversWhatIsNotATokenPrefix()
{
    Redactor r;
    r.setSecrets({kToken});
    OutputChannel c(&r);
    c.feed("progress 50%");
    QCOMPARE(c.takePartial().toStringList(), QStringList {u"progress 50%"_s});
    c.feed("\r\n");
    QCOMPARE(c.takePartial().toStringList(), QStringList()); // nothing left over
}

void TestRedactor::channelHoldsAnUnfinishedEscape()
{
    Redactor r;
    OutputChannel c(&r);
    c.feed("abc\x1b[3");
    QCOMPARE(c.takePartial().toStringList(), QStringList {u"abc"_s});
    QCOMPARE(c.feed("1mred\n").toStringList(), QStringList {u"\x1b[31mred"_s});
}

void TestRedactor::channelGivesEverythingAtTheEnd()
{
    Redactor r;
    r.setSecrets({kToken});
    OutputChannel c(&r);
    c.feed("last words " + kToken.first(4).toUtf8());
    QCOMPARE(c.takePartial().toStringList(), QStringList {u"last words "_s});
    // The process ended: what was held goes out, since no more can follow.
    QCOMPARE(c.takeAll().toStringList(), QStringList {kToken.first(4)});
    QVERIFY(c.takeAll().isEmpty());
}

QTEST_APPLESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
