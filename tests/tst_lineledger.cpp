// Tests the log file's lines counted per process (LineLedger inside LogWriter, the metrics'
// shardmanager_process_log_lines_{written,dropped}_total): on random streams of three processes'
// reads, with the disk refusing writes at random points (a line taken in part, the oldest lines
// dropped) and taking them again, the lines the file holds whole for each process are exactly
// what the ledger says were written, and the rest of each process's lines are what it says were
// dropped.

#include "filesizelimit.h"
#include "output/logwriter.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kFirstShards[] = {0, 4, 8};

// Whole lines in the file per process (by first shard); the "[shard-manager]" lines are not a
// process's.
QHash<int, qint64> linesInFile(const QString &path)
{
    static const QRegularExpression head(u"^\\d+ \\| Shards (\\d+) to \\d+ \\| "_s);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = file.readAll();
    text.truncate(text.lastIndexOf('\n') + 1); // a line in part is not in the file yet
    QHash<int, qint64> counts;
    for (const QByteArray &line : text.split('\n')) {
        const auto match = head.match(QString::fromUtf8(line));
        if (match.hasMatch())
            ++counts[match.captured(1).toInt()];
    }
    return counts;
}

OutputBatch batchOf(QRandomGenerator &random, qint64 *serial)
{
    QStringList lines;
    const int count = random.bounded(1, 40);
    for (int i = 0; i < count; ++i)
        lines << u"line %1 %2"_s.arg(++*serial).arg(QString(random.bounded(0, 120), u'x'));
    return OutputBatch::fromLines(lines, 0);
}

} // namespace

class TestLineLedger : public QObject {
    Q_OBJECT

private slots:
    void init();
    void countsMatchTheFileThroughRefusals_data();
    void countsMatchTheFileThroughRefusals();
    void linesLostAtCloseAreDroppedPerProcess();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLineLedger::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLineLedger::countsMatchTheFileThroughRefusals_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 40; ++seed)
        QTest::addRow("seed %u", seed) << seed;
}

void TestLineLedger::countsMatchTheFileThroughRefusals()
{
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    const QString path = m_dir->filePath(u"bot.log"_s);
    {
        // An earlier run that ended inside a line: its end is not any process's line.
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::WriteOnly));
        earlier.write("the last line of an earlier run, cut off");
    }
    LogWriter log(path, u"!%Y"_s);
    log.setMaxBacklog(4 * 1024);
    QVERIFY(log.open(nullptr));
    QHash<int, qint64> appended;
    qint64 serial = 0;
    std::unique_ptr<FileSizeLimit> limit;

    const auto check = [&](const char *when) {
        const QHash<int, LineLedger::Counts> counts = log.linesByFirstShard();
        const QHash<int, qint64> inFile = linesInFile(path);
        qint64 written = 0, dropped = 0;
        for (const int first : kFirstShards) {
            const LineLedger::Counts c = counts.value(first);
            if (c.written != inFile.value(first)) {
                qWarning("%s: process with shard %d: %lld written, the file holds %lld", when,
                         first, c.written, inFile.value(first));
                return false;
            }
            if (c.written + c.dropped > appended.value(first))
                return false;
            written += c.written;
            dropped += c.dropped;
        }
        // The counts per process add up to the writer's own.
        return written == log.writtenLines() && dropped == log.droppedLines();
    };

    for (int step = 0; step < 300; ++step) {
        const int first = kFirstShards[random.bounded(3)];
        const OutputBatch batch = batchOf(random, &serial);
        appended[first] += batch.count;
        log.appendBatch(first, first + 3, false, batch, QDateTime::currentMSecsSinceEpoch());
        const int dice = random.bounded(100);
        if (dice < 4 && !limit) // the disk fills: a few more bytes go in, a line in part
            limit
                = std::make_unique<FileSizeLimit>(QFileInfo(path).size() + random.bounded(0, 200));
        else if (dice < 8)
            limit.reset();
        else if (dice < 30)
            log.flush();
        QVERIFY2(check("during the stream"), qPrintable(u"step %1"_s.arg(step)));
    }
    limit.reset();
    QVERIFY(log.flush());
    QVERIFY(check("after the last flush"));
    log.close();
    QVERIFY(check("after close"));

    const QHash<int, LineLedger::Counts> counts = log.linesByFirstShard();
    qint64 dropped = 0;
    for (const int first : kFirstShards) {
        QCOMPARE(counts.value(first).written + counts.value(first).dropped, appended.value(first));
        dropped += counts.value(first).dropped;
    }
    QCOMPARE(dropped, log.droppedLines());
}

void TestLineLedger::linesLostAtCloseAreDroppedPerProcess()
{
    // /dev/full takes nothing: at close every line is lost, and each is its process's.
    LogWriter log(u"/dev/full"_s, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    log.append(0, 3, false, u"a"_s);
    log.append(4, 7, false, u"b"_s);
    log.append(0, 3, false, u"c"_s);
    QVERIFY(!log.flush());
    log.close();
    const QHash<int, LineLedger::Counts> counts = log.linesByFirstShard();
    QCOMPARE(counts.value(0).dropped, 2);
    QCOMPARE(counts.value(4).dropped, 1);
    QCOMPARE(counts.value(0).written + counts.value(4).written, 0);
}

QTEST_GUILESS_MAIN(TestLineLedger)
#include "tst_lineledger.moc"
