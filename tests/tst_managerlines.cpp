// The manager's own lines in the All pane, offscreen, with real fakeshard children: each carries
// its time; a stop the user asked for is said (one line for a Stop All); a process given up on
// says "crash loop".

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "logpane.h"
#include "logtabs.h"
#include "mainwindow.h"
#include "testbot.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestManagerLines : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void requestedStopsAreManagerLinesWithTheirTime();
    void crashLoopIsNamed();

private:
    QString allText() const { return m_window->logTabs()->allPane()->plainText(); }
    // The line of the All pane that contains text; empty when none does.
    QString lineWith(const QString &text) const;

    TestBot m_bot;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestManagerLines::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestManagerLines::init()
{
    QSettings().remove(u"logs"_s); // the Time toggle off: the manager's lines show theirs anyway
    m_engine = std::make_unique<ShardEngine>();
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestManagerLines::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_window.reset();
    m_engine.reset();
}

QString TestManagerLines::lineWith(const QString &text) const
{
    for (const QString &line : allText().split(u'\n')) {
        if (line.contains(text))
            return line;
    }
    return QString();
}

void TestManagerLines::requestedStopsAreManagerLinesWithTheirTime()
{
    QVERIFY(m_window->openProfile(
        m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--run"_s}}, {u"maxShards"_s, 3}})));
    QString error;
    QVERIFY2(m_engine->startAll(&error), qPrintable(error));
    QTRY_COMPARE(m_engine->status().running, 3);

    m_engine->stopProcess(1);
    QTRY_VERIFY2(!lineWith(u"process 1 stopped on request"_s).isEmpty(), qPrintable(allText()));
    const QRegularExpression timed(u"^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d \\[manager\\] "_s);
    const QString line = lineWith(u"process 1 stopped on request"_s);
    QVERIFY2(timed.match(line).hasMatch(), qPrintable(line));

    // Stop All: one line for all of them, not one each.
    m_engine->stopAll();
    QTRY_VERIFY2(!lineWith(u"2 processes stopped on request (0, 2)"_s).isEmpty(),
                 qPrintable(allText()));
    QCOMPARE(allText().count(u"stopped on request"_s), 2);
}

void TestManagerLines::crashLoopIsNamed()
{
    QVERIFY(m_window->openProfile(m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--exit=3"_s}},
                                               {u"maxShards"_s, 1},
                                               {u"autoRestart"_s, true},
                                               {u"restartDelay"_s, 0},
                                               {u"maxRestarts"_s, 1}})));
    QString error;
    QVERIFY2(m_engine->startAll(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->process(0)->state(), ProcessState::CrashLoop, 15000);
    QTRY_VERIFY2(!lineWith(u"process 0 is in a crash loop"_s).isEmpty(), qPrintable(allText()));
}

QTEST_MAIN(TestManagerLines)
#include "tst_managerlines.moc"
