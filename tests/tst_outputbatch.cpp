// The output path in bytes (issue 13): a read of a child stays one buffer from the pipe to the
// log file, the echo, the control socket and the history, and only lines with escapes, controls,
// other characters or a secret are decoded. Each sink must see exactly what the line-by-line
// path (decode, redact, strip) gave before.

#include "output/ansi.h"
#include "output/logwriter.h"
#include "output/outputbatch.h"
#include "output/outputchannel.h"
#include "output/redactor.h"
#include "process/recentlines.h"
#include "service/eventcodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString kToken = u"MTAxNjQ4.GhJkLm.secret-token_value42"_s;

// What the line-by-line path made of a stream: split on '\n', a trailing '\r' dropped, decoded,
// redacted.
QStringList reference(const QByteArray &stream, const Redactor &redactor)
{
    QStringList lines;
    qsizetype from = 0;
    for (qsizetype nl = stream.indexOf('\n'); nl >= 0; nl = stream.indexOf('\n', from)) {
        QByteArray line = stream.sliced(from, nl - from);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(redactor.redact(QString::fromUtf8(line)));
        from = nl + 1;
    }
    return lines;
}

// A stream of lines made of pieces a bot prints: plain words, colours, tabs, carriage returns,
// non-ASCII, invalid UTF-8, the token whole.
QByteArray randomStream(QRandomGenerator &random, int lines)
{
    static const QByteArray pieces[] = {"Shard 0 : Received READY",
                                        "plain words ",
                                        "\x1b[31mred\x1b[0m",
                                        "\t",
                                        "\r",
                                        "caf\xc3\xa9 ",
                                        "\xff\xc3",
                                        "\x7f",
                                        kToken.toUtf8(),
                                        "quote \" and \\ backslash",
                                        "\xe2\x80\xa8"};
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        const int n = int(random.bounded(5));
        for (int k = 0; k < n; ++k)
            out += pieces[random.bounded(int(std::size(pieces)))];
        out += random.bounded(4) == 0 ? "\r\n" : "\n";
    }
    return out;
}
} // namespace

class TestOutputBatch : public QObject {
    Q_OBJECT

private slots:
    void isPlainIsPrintableAscii();
    void containsFindsEveryOccurrence();
    void channelGivesWhatLineByLineDecodingGave();
    void plainReadIsNotCopied();
    void recentLinesKeepTheLastAcrossBatches();
    void logFileGetsTheSameBytesAsFromText();
    void outputEventsAreTheSameAsFromText();
};

void TestOutputBatch::isPlainIsPrintableAscii()
{
    // Every byte value at every place of a word and of its tail.
    for (int value = 0; value < 256; ++value) {
        for (int at = 0; at < 19; ++at) {
            QByteArray bytes(19, 'a');
            bytes[at] = char(value);
            const bool printable = value >= 0x20 && value < 0x7f;
            QVERIFY2(OutputText::isPlain(bytes) == printable,
                     qPrintable(u"byte %1 at %2"_s.arg(value).arg(at)));
        }
    }
    QVERIFY(OutputText::isPlain(QByteArrayView()));
}

void TestOutputBatch::containsFindsEveryOccurrence()
{
    QRandomGenerator random(13);
    for (int round = 0; round < 20000; ++round) {
        QByteArray text, needle;
        for (int i = int(random.bounded(40)); i > 0; --i)
            text += char('a' + random.bounded(3));
        for (int i = int(random.bounded(1, 5)); i > 0; --i)
            needle += char('a' + random.bounded(3));
        QCOMPARE(OutputText::contains(text, needle), text.contains(needle));
    }
}

void TestOutputBatch::channelGivesWhatLineByLineDecodingGave()
{
    Redactor redactor;
    redactor.setSecrets({kToken});
    QRandomGenerator random(42);
    for (int round = 0; round < 300; ++round) {
        const QByteArray stream = randomStream(random, int(random.bounded(1, 40)));
        OutputChannel channel(&redactor);
        QStringList got;
        qsizetype count = 0;
        // Cut into writes at random places, as the pipe would.
        for (qsizetype from = 0; from < stream.size();) {
            const qsizetype length
                = std::min<qsizetype>(random.bounded(1, 120), stream.size() - from);
            const OutputBatch batch = channel.feed(stream.sliced(from, length));
            from += length;
            const QStringList lines = batch.toStringList();
            QCOMPARE(lines.size(), batch.count);
            if (batch.plain) {
                for (const QString &line : lines)
                    QVERIFY(OutputText::isPlain(line.toUtf8()));
            }
            count += batch.count;
            got += lines;
        }
        QCOMPARE(got, reference(stream, redactor));
        QCOMPARE(count, qsizetype(stream.count('\n')));
        for (const QString &line : got)
            QVERIFY(!line.contains(kToken));
    }
}

void TestOutputBatch::plainReadIsNotCopied()
{
    Redactor redactor;
    redactor.setSecrets({kToken});
    OutputChannel channel(&redactor);
    QByteArray read = "one\ntwo\nthree\n";
    const char *data = read.constData();
    const OutputBatch batch = channel.feed(std::move(read));
    QCOMPARE(batch.count, 3);
    QVERIFY(batch.plain);
    QCOMPARE(batch.text.constData(), data);
}

void TestOutputBatch::recentLinesKeepTheLastAcrossBatches()
{
    RecentLines recent(5);
    Redactor redactor;
    OutputChannel channel(&redactor);
    OutputBatch first = channel.feed("1\n2\n3\n");
    first.timeMs = 10;
    recent.append(first, false);
    recent.append(20, true, {u"4"_s, u"5"_s});
    OutputBatch second = channel.feed("6\n\x1b[1m7\n");
    second.timeMs = 30;
    recent.append(second, false);
    QCOMPARE(recent.size(), 5);
    const QList<OutputLine> lines = recent.lines();
    QStringList texts;
    for (const OutputLine &line : lines)
        texts.append(line.text);
    QCOMPARE(texts, (QStringList {u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"\x1b[1m7"_s}));
    QCOMPARE(lines.at(0).timeMs, 10);
    QVERIFY(lines.at(1).isStderr);
    QCOMPARE(lines.at(4).timeMs, 30);
    recent.append({40, false, u"8"_s});
    QCOMPARE(recent.lines().first().text, u"4"_s);
}

void TestOutputBatch::logFileGetsTheSameBytesAsFromText()
{
    QTemporaryDir dir;
    const QDateTime time = QDateTime::currentDateTime();
    QRandomGenerator random(7);
    Redactor redactor;
    const QByteArray stream = randomStream(random, 200);
    OutputChannel channel(&redactor);
    const OutputBatch batch = channel.feed(stream);
    QVERIFY(!batch.plain);

    LogWriter fromText(dir.filePath(u"text.log"_s), u"%F %T"_s);
    LogWriter fromBytes(dir.filePath(u"bytes.log"_s), u"%F %T"_s);
    QVERIFY(fromText.open(nullptr) && fromBytes.open(nullptr));
    fromText.appendLines(0, 1, true, batch.toStringList(), time);
    fromBytes.appendBatch(0, 1, true, batch, time.toMSecsSinceEpoch());
    fromText.close();
    fromBytes.close();
    QFile a(dir.filePath(u"text.log"_s)), b(dir.filePath(u"bytes.log"_s));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray expected = a.readAll();
    QCOMPARE(expected.count('\n'), 200);
    QCOMPARE(b.readAll(), expected);
}

void TestOutputBatch::outputEventsAreTheSameAsFromText()
{
    QRandomGenerator random(9);
    Redactor redactor;
    OutputChannel channel(&redactor);
    const OutputBatch batch = channel.feed(randomStream(random, 100));
    const EventCodec::OutputEvent event {false, 3, 6, 7};
    const auto linesOf = [](const QByteArray &json) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(json, &error).object();
        return error.error == QJsonParseError::NoError ? o.value(u"lines"_s).toArray()
                                                       : QJsonArray {u"parse error"_s};
    };
    const QJsonArray expected = linesOf(EventCodec::outputLine(event, batch.toStringList()));
    QCOMPARE(expected.size(), 100);
    QCOMPARE(linesOf(EventCodec::outputLine(event, batch)), expected);
    // One event a line, as --events json writes them.
    QByteArray perLine;
    const QByteArray head = EventCodec::outputHead(event);
    batch.forEachLine(
        [&](QByteArrayView line) { EventCodec::appendOutputLine(perLine, head, line); });
    const QList<QByteArray> events = perLine.split('\n');
    QCOMPARE(events.size(), 101);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(QJsonDocument::fromJson(events.at(i)).object().value(u"line"_s), expected.at(i));
}

QTEST_GUILESS_MAIN(TestOutputBatch)
#include "tst_outputbatch.moc"
