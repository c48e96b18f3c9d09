// Tests the one duration and the one size formatter that the table, the tray, the headless status
// lines and the engine's notices share, the one line prefix of the log file and the echo, and the
// one "exited …, restarting in N s" text of the window, the tray and the headless status lines.

#include "output/lineprefix.h"
#include "process/processview.h"
#include "text/exittext.h"
#include "text/translations.h"
#include "text/units.h"

#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;

class TestUnits : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void duration_data();
    void duration();
    void dataSize_data();
    void dataSize();
    void linePrefix();
    void exitOutcome();
    void englishPluralForms_data();
    void englishPluralForms();
};

void TestUnits::duration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << u"0 s"_s;
    QTest::newRow("under a second") << qint64(999) << u"0 s"_s;
    QTest::newRow("seconds") << qint64(59'999) << u"59 s"_s;
    QTest::newRow("a minute") << qint64(60'000) << u"1 min 0 s"_s;
    QTest::newRow("minutes") << qint64((3 * 60 + 5) * 1000) << u"3 min 5 s"_s;
    QTest::newRow("hours") << qint64((2 * 3600 + 10 * 60 + 59) * 1000) << u"2 h 10 min"_s;
    QTest::newRow("days") << qint64((3 * 86400 + 4 * 3600 + 59 * 60) * 1000) << u"3 d 4 h"_s;
}

void TestUnits::duration()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(Units::duration(ms), text);
}

void TestUnits::dataSize_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("megabytes") << qint64(48'300'000) << u"48 MB"_s;
    QTest::newRow("under a gigabyte") << qint64(999'000'000) << u"999 MB"_s;
    QTest::newRow("memoryLimit") << qint64(1'900'000'000) << u"1.90 GB"_s;
    QTest::newRow("decimal, not binary") << qint64(1'000'000) << u"1 MB"_s;
}

void TestUnits::dataSize()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(Units::dataSize(bytes), text);
}

void TestUnits::linePrefix()
{
    QCOMPARE(LinePrefix::of(0, 2, false), u"Shards 0 to 2 | "_s);
    QCOMPARE(LinePrefix::of(3, 3, true), u"Shards 3 to 3 | stderr | "_s);
}

void TestUnits::exitOutcome()
{
    ExitInfo info;
    info.code = 3;
    QCOMPARE(ExitText::outcome(info), u"exit code 3"_s);
    info.restartScheduled = true;
    info.restartInMs = 2000;
    QCOMPARE(ExitText::outcome(info), u"exit code 3, restarting in 2.0 s"_s);
}

void TestUnits::englishPluralForms_data()
{
    QTest::addColumn<QByteArray>("context");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one process") << "PlanPreview"_ba
                                 << "%n process(es)"_ba << 1 << u"1 process"_s;
    QTest::newRow("two processes") << "PlanPreview"_ba
                                   << "%n process(es)"_ba << 2 << u"2 processes"_s;
    QTest::newRow("one shard") << "PlanPreview"_ba
                               << "%n shard(s)"_ba << 1 << u"1 shard"_s;
    QTest::newRow("no shards") << "PlanPreview"_ba
                               << "%n shard(s)"_ba << 0 << u"0 shards"_s;
    QTest::newRow("running, one") << "MainWindow"_ba
                                  << "%n process(es) are running. Stop them and quit?"_ba << 1
                                  << u"1 process is running. Stop it and quit?"_s;
    QTest::newRow("dropped") << "LogPane"_ba
                             << "[… %n line(s) dropped]"_ba << 1 << u"[… 1 line dropped]"_s;
    QTest::newRow("broadcast") << "HeadlessRunner"_ba
                               << "broadcast to %n connection(s): %1"_ba << 3
                               << u"broadcast to 3 connections: %1"_s;
}

// The English forms built from resources/translations/ are in the program: a count reads
// "1 process", never "1 process(es)".
void TestUnits::englishPluralForms()
{
    QFETCH(QByteArray, context);
    QFETCH(QByteArray, source);
    QFETCH(int, n);
    QFETCH(QString, expected);
    static bool installed = false;
    if (!installed) {
        Translations::install(*QCoreApplication::instance());
        installed = true;
    }
    QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(), nullptr, n),
             expected);
}

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
