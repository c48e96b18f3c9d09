// Tests LogWriter (DESIGN §7): the seed's line format, os.date timestamps in UTC or local time,
// ANSI codes stripped, appending, the one-second flush, and write errors that are reported
// while the shards keep running: a disk that refuses writes (the file size limit stands in for a
// full one) costs counted lines, never a merged one, and the OS's reason is given.

#include "engine/shardengine.h"
#include "filesizelimit.h"
#include "output/logwriter.h"
#include "output/osdate.h"
#include "testbot.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <QTest>

#include <cerrno>
#include <cstring>
#include <ctime>

using namespace Qt::StringLiterals;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// 2024-01-02 03:04:05 UTC, which is 08:34:05 in India (UTC+05:30, no daylight saving).
QDateTime fixedTime()
{
    return QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
}

// Checks a log of "line <n>" lines: each whole and in order, each gap told of by exactly one
// "[shard-manager] N lines could not be written: <reason>" line in its place. Returns the lines
// the markers count, or -1 (with a failure) when the file breaks the rule.
qint64 checkLines(const QByteArray &text, int total, const QString &reason, int *markers)
{
    static const QRegularExpression line(u"^2024 \\| Shards 0 to 0 \\| line (\\d+)$"_s);
    const QRegularExpression marker(
        u"^\\d+ \\| \\[shard-manager\\] (\\d+) lines? could not be written: "_s
        + QRegularExpression::escape(reason) + u'$');
    if (!text.endsWith('\n')) {
        qWarning("the file ends inside a line");
        return -1;
    }
    QList<QByteArray> lines = text.split('\n');
    lines.removeLast();
    qint64 next = 1, counted = 0;
    *markers = 0;
    for (const QByteArray &bytes : std::as_const(lines)) {
        const QString decoded = QString::fromUtf8(bytes);
        const auto ordinary = line.match(decoded);
        const auto gap = marker.match(decoded);
        if (ordinary.hasMatch() && ordinary.captured(1).toLongLong() == next) {
            ++next;
        } else if (gap.hasMatch()) {
            next += gap.captured(1).toLongLong();
            counted += gap.captured(1).toLongLong();
            ++*markers;
        } else {
            qWarning("expected line %lld, found: %s", next, bytes.constData());
            return -1;
        }
    }
    if (next != total + 1) {
        qWarning("the file accounts for %lld lines of %d", next - 1, total);
        return -1;
    }
    return counted;
}

} // namespace

class TestLogWriter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void exactLines();
    void timestamps_data();
    void timestamps();
    void localTimeDoesNotDependOnTimeSpec();
    void longTimestampIsNeverSilentlyEmpty();
    void ansiStripped();
    void appendsNotTruncates();
    void flushedWithinASecond();
    void flushedOnClose();
    void largeBufferFlushedAtOnce();
    void openFailureIsReported();
    void writeErrorIsReported();
    void pendingLinesStayBounded();
    void refusedWritesAreCountedNeverMerged();
    void linesLeftAtCloseAreCounted();
    void unfinishedLineOfAnEarlierRunIsEnded();
    void shardsKeepRunningWhenLogFails();

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_files = 0;
};

void TestLogWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A zone far from UTC, so local and UTC timestamps differ in every field that matters.
    qputenv("TZ", "Asia/Kolkata");
    tzset();
}

void TestLogWriter::init()
{
    QTest::failOnWarning(QRegularExpression(u"Destroyed while process"_s));
    m_path = m_dir.filePath(u"log-%1.log"_s.arg(++m_files));
}

void TestLogWriter::exactLines()
{
    LogWriter log(m_path, u"!%Y-%m-%dT%H:%M:%S"_s);
    QString error;
    QVERIFY2(log.open(&error), qPrintable(error));
    QVERIFY(log.isOpen());
    QCOMPARE(log.path(), m_path);
    log.append(3, 5, false, u"hello world"_s, fixedTime());
    log.append(3, 5, true, u"something | failed"_s, fixedTime());
    log.append(10, 10, false, QString(), fixedTime());
    log.append(0, 0, false, u"ünïcode ✓"_s, fixedTime());
    log.close();
    QVERIFY(!log.isOpen());
    QCOMPARE(readFile(m_path),
             QByteArray("2024-01-02T03:04:05 | Shards 3 to 5 | hello world\n"
                        "2024-01-02T03:04:05 | Shards 3 to 5 | stderr | something | failed\n"
                        "2024-01-02T03:04:05 | Shards 10 to 10 | \n"
                        "2024-01-02T03:04:05 | Shards 0 to 0 | ")
                 + u"ünïcode ✓\n"_s.toUtf8());
}

void TestLogWriter::timestamps_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("utc");

    QTest::newRow("utc") << u"!%Y-%m-%d %H:%M:%S"_s << u"2024-01-02 03:04:05"_s << true;
    QTest::newRow("local") << u"%Y-%m-%d %H:%M:%S"_s << u"2024-01-02 08:34:05"_s << false;
    QTest::newRow("local offset") << u"%H:%M %z"_s << u"08:34 +0530"_s << false;
    QTest::newRow("utc offset") << u"!%H:%M %z"_s << u"03:04 +0000"_s << true;
    QTest::newRow("default") << u"!%Y-%m-%dT%H:%M:%S"_s << u"2024-01-02T03:04:05"_s << true;
    QTest::newRow("literal text") << u"[%d/%m] !"_s << u"[02/01] !"_s << false;
}

void TestLogWriter::timestamps()
{
    QFETCH(QString, format);
    QFETCH(QString, expected);
    QFETCH(bool, utc);

    const OsDate date(format);
    QCOMPARE(date.isUtc(), utc);
    QCOMPARE(date.format(fixedTime()), expected);

    LogWriter log(m_path, format);
    QVERIFY(log.open(nullptr));
    log.append(1, 2, false, u"x"_s, fixedTime());
    log.close();
    QCOMPARE(QString::fromUtf8(readFile(m_path)), expected + u" | Shards 1 to 2 | x\n"_s);
}

void TestLogWriter::localTimeDoesNotDependOnTimeSpec()
{
    // The same instant, expressed in local time and with an offset, formats the same.
    const QDateTime local = fixedTime().toLocalTime();
    QCOMPARE(local.time(), QTime(8, 34, 5)); // TZ took effect
    const QDateTime offset = fixedTime().toOffsetFromUtc(-7 * 3600);
    OsDate date(u"%Y-%m-%d %H:%M:%S"_s);
    QCOMPARE(date.format(local), u"2024-01-02 08:34:05"_s);
    QCOMPARE(date.format(offset), u"2024-01-02 08:34:05"_s);
    QCOMPARE(date.formatCached(offset), u"2024-01-02 08:34:05"_s);
    QCOMPARE(date.formatCached(fixedTime().addSecs(61)), u"2024-01-02 08:35:06"_s);
    // From milliseconds (the flood's path), local time still; the second before 1970 included,
    // which an empty cache once took for its own.
    QCOMPARE(date.formatCachedMs(fixedTime().addSecs(62).toMSecsSinceEpoch() + 999),
             u"2024-01-02 08:35:07"_s);
    OsDate fresh(u"!%Y-%m-%d %H:%M:%S"_s);
    QCOMPARE(fresh.formatCachedMs(-1500), u"1969-12-31 23:59:59"_s);
}

void TestLogWriter::longTimestampIsNeverSilentlyEmpty()
{
    const QString fits(OsDate::kMaxLength, u'x');
    QCOMPARE(OsDate(fits).format(fixedTime()), fits);
    QCOMPARE(OsDate(u"!%p"_s).tryFormat(fixedTime()), std::optional<QString>(u"AM"_s));
    QCOMPARE(OsDate(u"!"_s).tryFormat(fixedTime()), std::optional<QString>(QString()));

    // Too long to write: nothing from tryFormat (validation refuses it), and text that says so.
    for (const QString &format :
         {QString(fits + u'x'), QString(300000, u'x'), u"%c"_s.repeated(1000)}) {
        const OsDate date(format);
        QVERIFY(!date.tryFormat(fixedTime()));
        QVERIFY2(date.format(fixedTime()).contains(u"timestamp longer than"_s),
                 qPrintable(date.format(fixedTime())));
    }
}

void TestLogWriter::ansiStripped()
{
    LogWriter log(m_path, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    log.append(0, 1, false, u"\x1b[31mred\x1b[0m and \x1b[1;32mgreen\x1b[0m"_s, fixedTime());
    log.append(0, 1, true,
               u"\x1b]0;window title\x07"
               "after title"_s,
               fixedTime());
    log.append(0, 1, false, u"\x1b[2K\x1b[1Gprogress 100%"_s, fixedTime());
    log.close();
    QCOMPARE(readFile(m_path),
             QByteArray("2024 | Shards 0 to 1 | red and green\n"
                        "2024 | Shards 0 to 1 | stderr | after title\n"
                        "2024 | Shards 0 to 1 | progress 100%\n"));
}

void TestLogWriter::appendsNotTruncates()
{
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from an earlier run\n");
    }
    for (const char *text : {"first session", "second session"}) {
        LogWriter log(m_path, u"!%Y"_s);
        QVERIFY(log.open(nullptr));
        log.append(0, 0, false, QString::fromLatin1(text), fixedTime());
        log.close();
    }
    QCOMPARE(readFile(m_path),
             QByteArray("from an earlier run\n"
                        "2024 | Shards 0 to 0 | first session\n"
                        "2024 | Shards 0 to 0 | second session\n"));
}

void TestLogWriter::flushedWithinASecond()
{
    LogWriter log(m_path, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    log.append(4, 7, false, u"waiting for the timer"_s, fixedTime());
    QVERIFY(log.pendingBytes() > 0); // buffered, so the timer is what writes it
    QTRY_COMPARE_WITH_TIMEOUT(readFile(m_path),
                              QByteArray("2024 | Shards 4 to 7 | waiting for the timer\n"), 1500);
    QCOMPARE(log.pendingBytes(), 0);
    QVERIFY(log.isOpen());
}

void TestLogWriter::flushedOnClose()
{
    LogWriter log(m_path, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    log.append(0, 0, false, u"last words"_s, fixedTime());
    log.close();
    QCOMPARE(readFile(m_path), QByteArray("2024 | Shards 0 to 0 | last words\n"));

    // And on destruction, which closes.
    {
        LogWriter again(m_path, u"!%Y"_s);
        QVERIFY(again.open(nullptr));
        again.append(0, 0, false, u"destroyed"_s, fixedTime());
    }
    QVERIFY(readFile(m_path).endsWith("2024 | Shards 0 to 0 | destroyed\n"));
}

void TestLogWriter::largeBufferFlushedAtOnce()
{
    LogWriter log(m_path, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    const QString line(1000, u'y');
    for (int i = 0; i < 300; ++i) // ~300 KB: a flood must not wait for the timer
        log.append(0, 0, false, line, fixedTime());
    QVERIFY(QFileInfo(m_path).size() >= 256 * 1024);
    log.close();
    QCOMPARE(QFileInfo(m_path).size(),
             300 * qint64(line.size() + QByteArray("2024 | Shards 0 to 0 | \n").size()));
}

void TestLogWriter::openFailureIsReported()
{
    QFile blocker(m_dir.filePath(u"blocker"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where a folder should be
    blocker.close();
    const QString path = m_dir.filePath(u"blocker/shards.log"_s);
    LogWriter log(path, u"!%Y"_s);
    QString error;
    QVERIFY(!log.open(&error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!log.isOpen());
}

void TestLogWriter::writeErrorIsReported()
{
    // /dev/full opens fine and refuses every write with ENOSPC.
    LogWriter log(u"/dev/full"_s, u"!%Y"_s);
    QString error;
    QVERIFY2(log.open(&error), qPrintable(error));
    QSignalSpy failed(&log, &LogWriter::writeFailed);
    log.append(0, 0, false, u"lost?"_s, fixedTime());
    QVERIFY(!log.hasError());

    // Reported by the timer, without anyone calling flush().
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 1500);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(u"/dev/full"_s), qPrintable(message));
    QVERIFY2(message.contains(u"space"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY(log.hasError());
    QVERIFY(log.pendingBytes() > 0); // kept for the next try, not dropped

    // Once per failure streak, not once per second.
    QVERIFY(!log.flush());
    QCOMPARE(failed.size(), 1);
}

void TestLogWriter::pendingLinesStayBounded()
{
    LogWriter log(u"/dev/full"_s, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    const QString line(1000, u'z');
    for (int i = 0; i < 70000; ++i) // ~70 MB while the disk refuses everything
        log.append(0, 0, false, line, fixedTime());
    QVERIFY(log.pendingBytes() <= 64 * 1024 * 1024);
    QVERIFY(log.droppedLines() > 0);
    QVERIFY(log.hasError());
}

void TestLogWriter::shardsKeepRunningWhenLogFails()
{
    TestBot bot;
    QVERIFY(bot.isValid());
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(
        bot.write({{u"interpreterArgs"_s, QJsonArray {u"--print=hello"_s, u"--run"_s}},
                   {u"logFile"_s, u"/dev/full"_s}}),
        &errors);
    QVERIFY(errors.isEmpty());

    ShardEngine engine;
    QVERIFY(engine.setProfile(profile));
    QSignalSpy logErrors(&engine, &ShardEngine::logFileError);
    QSignalSpy notices(&engine, &ShardEngine::notice);
    QVERIFY(engine.startAll());
    QTRY_COMPARE(engine.status().running, 2);
    QTRY_COMPARE_WITH_TIMEOUT(logErrors.size(), 1, 2500);
    QVERIFY(engine.status().logFileFailing);
    // Reported once, as logFileError (which the window and headless mode show), not twice.
    const QString message = logErrors.first().first().toString();
    QVERIFY2(message.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))), qPrintable(message));
    for (const QList<QVariant> &notice : std::as_const(notices))
        QVERIFY2(!notice.first().toString().contains(u"/dev/full"_s),
                 qPrintable(notice.first().toString()));
    QCOMPARE(engine.status().running, 2);
    QVERIFY(engine.isSessionOpen());

    QSignalSpy stopped(&engine, &ShardEngine::allStopped);
    engine.stopAll();
    QTRY_COMPARE(stopped.size(), 1);
    for (int i = 0; i < 2; ++i)
        QVERIFY(engine.process(i)->lastExit().requested);
}

void TestLogWriter::refusedWritesAreCountedNeverMerged()
{
    LogWriter log(m_path, u"!%Y"_s);
    log.setMaxBacklog(16 * 1024);
    QVERIFY(log.open(nullptr));
    QSignalSpy failed(&log, &LogWriter::writeFailed);
    QSignalSpy full(&log, &LogWriter::backlogFull);
    QSignalSpy recovered(&log, &LogWriter::writeRecovered);
    int written = 0;
    auto write = [&](int count) {
        for (int i = 0; i < count; ++i)
            log.append(0, 0, false, u"line %1"_s.arg(++written), fixedTime());
    };
    write(100);
    QVERIFY(log.flush());

    // A few bytes more are taken: the next line goes into the file in part.
    FileSizeLimit limit(QFileInfo(m_path).size() + 10);
    write(5000); // ~150 KB, far beyond the backlog
    QVERIFY(!log.flush());
    QVERIFY(log.hasError());
    QCOMPARE(failed.size(), 1);
    const QString reason
        = QString::fromLocal8Bit(std::strerror(EFBIG)); // the OS's, not "Unknown error"
    QVERIFY2(failed.first().first().toString().contains(reason),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(full.size(), 1);
    QVERIFY2(full.first().first().toString().contains(reason),
             qPrintable(full.first().first().toString()));
    QVERIFY(log.pendingBytes() <= 16 * 1024);
    QVERIFY(log.droppedLines() > 0);

    // Space again: the timer finds out, and says how many were lost.
    limit.lift();
    write(100);
    QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 2500);
    QVERIFY(!log.hasError());
    QCOMPARE(recovered.first().at(0).toLongLong(), log.droppedLines());
    QCOMPARE(recovered.first().at(1).toString(), reason);
    log.close();

    int markers = 0;
    QCOMPARE(checkLines(readFile(m_path), written, reason, &markers), log.droppedLines());
    QCOMPARE(markers, 1);
}

void TestLogWriter::linesLeftAtCloseAreCounted()
{
    LogWriter log(m_path, u"!%Y"_s);
    log.setMaxBacklog(16 * 1024);
    QVERIFY(log.open(nullptr));
    QSignalSpy lost(&log, &LogWriter::linesLost);
    for (int i = 1; i <= 10; ++i)
        log.append(0, 0, false, u"line %1"_s.arg(i), fixedTime());
    QVERIFY(log.flush());
    {
        FileSizeLimit limit(QFileInfo(m_path).size() + 10);
        for (int i = 11; i <= 2000; ++i)
            log.append(0, 0, false, u"line %1"_s.arg(i), fixedTime());
        QVERIFY(!log.flush());
        log.close(); // the file still refuses: what waits is lost, and counted
    }
    QCOMPARE(lost.size(), 1);
    QCOMPARE(lost.first().at(0).toLongLong(), 1990); // the one begun in the file is not whole
    QCOMPARE(lost.first().at(1).toString(), QString::fromLocal8Bit(std::strerror(EFBIG)));

    // The next run ends the line the file was left inside, so its own lines stand alone.
    LogWriter again(m_path, u"!%Y"_s);
    QVERIFY(again.open(nullptr));
    again.append(0, 0, false, u"next run"_s, fixedTime());
    again.close();
    QList<QByteArray> lines = readFile(m_path).split('\n');
    QCOMPARE(lines.size(), 13); // 10 lines, the cut one, the next run's, and the empty rest
    QCOMPARE(lines.at(9), QByteArray("2024 | Shards 0 to 0 | line 10"));
    QCOMPARE(lines.at(10), QByteArray("2024 | Sha"));
    QCOMPARE(lines.at(11), QByteArray("2024 | Shards 0 to 0 | next run"));
}

void TestLogWriter::unfinishedLineOfAnEarlierRunIsEnded()
{
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("killed in the midd");
    }
    LogWriter log(m_path, u"!%Y"_s);
    QVERIFY(log.open(nullptr));
    log.append(0, 0, false, u"new run"_s, fixedTime());
    log.close();
    QCOMPARE(readFile(m_path), QByteArray("killed in the midd\n2024 | Shards 0 to 0 | new run\n"));
}

QTEST_GUILESS_MAIN(TestLogWriter)
#include "tst_logwriter.moc"
