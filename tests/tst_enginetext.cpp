// Tests that the engine's notices and errors go through tr(), without a window: with a
// translator installed that marks every string it is asked for, a rolling restart's notices,
// the IPC port-in-use error, a log file's open error and the process states and exits as
// people read them all come out marked. A text written as a plain literal shows up unmarked.
// The names machines read (the headless events' "state") must stay unmarked.

#include "engine/rollingrestart.h"
#include "ipc/ipcserver.h"
#include "markingtranslator.h"
#include "output/logwriter.h"
#include "process/processview.h"
#include "process/shardstates.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

class TestEngineText : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void rollingRestartNoticesAreTranslated();
    void portInUseErrorIsTranslated();
    void logFileErrorsAreTranslated();
    void processTextsAreTranslatedButNotTheirNames();

private:
    MarkingTranslator m_translator;
};

void TestEngineText::initTestCase()
{
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
}

void TestEngineText::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_translator);
}

void TestEngineText::rollingRestartNoticesAreTranslated()
{
    QList<int> restarted;
    RollingRestart rolling(
        {[] { return 2; }, [&restarted](int i) { restarted << i; }, [](int) { return 0; }});
    QSignalSpy notices(&rolling, &RollingRestart::notice);
    rolling.start();
    QCOMPARE(restarted, QList<int> {0});
    // Process 0 fails on the way: the run stops and names its state, translated too.
    rolling.onStateChanged(0, ProcessState::CrashLoop);
    QTRY_COMPARE(notices.count(), 2);
    const QString started = notices.at(0).at(0).toString();
    QVERIFY2(started.startsWith(kMark + u"rolling restart: 2 process(es)"_s), qPrintable(started));
    const QString stopped = notices.at(1).at(0).toString();
    QVERIFY2(stopped.startsWith(kMark + u"rolling restart stopped"_s), qPrintable(stopped));
    QVERIFY2(stopped.endsWith(kMark + u"crash loop"_s), qPrintable(stopped));
}

void TestEngineText::portInUseErrorIsTranslated()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    IpcServer server;
    QString error;
    QVERIFY(!server.listen(u"127.0.0.1"_s, taken.serverPort(), &error));
    QVERIFY2(error.startsWith(kMark + u"port: cannot listen for IPC on 127.0.0.1:"_s),
             qPrintable(error));
    // The reason is a text of its own, translated as well.
    QVERIFY2(error.contains(kMark + u"another program is using it"_s), qPrintable(error));
}

void TestEngineText::logFileErrorsAreTranslated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LogWriter writer(dir.path(), QString()); // a folder: it cannot be opened as a file
    QString error;
    QVERIFY(!writer.open(&error));
    QVERIFY2(error.startsWith(kMark + u"cannot open log file "_s), qPrintable(error));

    const QString dropped = LogWriter::droppedText(3, u"No space left on device"_s);
    QCOMPARE(dropped, kMark + u"3 line(s) could not be written: No space left on device"_s);
}

void TestEngineText::processTextsAreTranslatedButNotTheirNames()
{
    QCOMPARE(processStateText(ProcessState::Running), kMark + u"running"_s);
    // The headless JSON events carry this one: machines read it, so it stays as it is.
    QCOMPARE(processStateName(ProcessState::Running), u"running"_s);

    ExitInfo exit;
    exit.code = 3;
    QCOMPARE(exit.describe(), kMark + u"exit code 3"_s);
    exit.failedToStart = true;
    exit.error = u"No such file or directory"_s;
    QCOMPARE(exit.describe(), kMark + u"failed to start: No such file or directory"_s);

    QVERIFY2(ShardStates::closeCodeMeaning(4004).startsWith(kMark + u"authentication failed"_s),
             qPrintable(ShardStates::closeCodeMeaning(4004)));
}

QTEST_GUILESS_MAIN(TestEngineText)
#include "tst_enginetext.moc"
