// The window's views beyond the process table, offscreen with real fakeshard children: the shard
// view (a row per shard from the plan, states and stats of the running processes only, totals in
// its header row, no per-shard objects for a 100,000-shard plan), the welcome page when nothing
// is there to open, and the dark palette with readable log colours.

#include "ansitext.h"
#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "launchdetails.h"
#include "mainwindow.h"
#include "processtableview.h"
#include "shardview.h"
#include "shardviewmodel.h"
#include "testbot.h"
#include "theme.h"
#include "welcomepage.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <cmath>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// WCAG's contrast ratio of two colours, 1 to 21.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestWindowViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void shardViewShowsShardsOfRunningProcesses();
    void shardViewOfHundredThousandShardsKeepsNothingPerShard();
    void shardViewCanBeHidden();
    void shardTabIsRemembered();
    void welcomePageWhenNothingToOpen();
    void welcomePageOpensRecentAndDemo();
    void lastProfileSkipsWelcome();
    void darkThemeKeepsLogColoursReadable();
    void systemDarknessIsRead();
    void detailsShowHowTheProcessIsStarted();
    void memoryOverWarningIsNotified();

private:
    QString cell(int row, int column) const;
    QAction *action(const QString &name) const { return m_window->findChild<QAction *>(name); }

    TestBot m_bot;
    FakeSecretBackend m_secrets;
    std::unique_ptr<ShardEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowViews::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_bot.isValid());
}

void TestWindowViews::init()
{
    QSettings().clear();
    m_engine = std::make_unique<ShardEngine>();
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWindowViews::cleanup()
{
    m_engine->killAll();
    QTRY_VERIFY(!m_engine->isBusy());
    m_window.reset();
    m_engine.reset();
    Theme::apply(Theme::Mode::System);
}

QString TestWindowViews::cell(int row, int column) const
{
    const ShardViewModel *model = m_window->shardView()->model();
    return model->index(row, column).data().toString();
}

void TestWindowViews::shardViewShowsShardsOfRunningProcesses()
{
    // Two processes of two shards: each says its first shard is ready and its last said hello,
    // and sends stats with a per-shard entry for its first shard only.
    const QString profile = m_bot.write(
        {{u"maxShards"_s, 4},
         {u"shardsPerProcess"_s, 2},
         {u"interpreterArgs"_s,
          QJsonArray {u"--print=Shard ${SHARDER_FIRST_SHARD} : Received READY"_s,
                      u"--print=Shard ${SHARDER_LAST_SHARD} : Received HELLO"_s, u"--ipc-connect"_s,
                      u"--ipc-hello"_s,
                      u"--ipc-send={\"op\":\"stats\",\"guilds\":300,\"ping\":40,\"shards\":{"
                      "\"${SHARDER_FIRST_SHARD}\":{\"guilds\":200,\"ping\":41}}}"_s,
                      u"--run"_s}}});
    QVERIFY(m_window->openProfile(profile));
    const ShardViewModel *model = m_window->shardView()->model();
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(cell(3, ShardViewModel::Shard), u"3"_s);
    QCOMPARE(cell(3, ShardViewModel::Process), u"1"_s);
    QCOMPARE(cell(0, ShardViewModel::State), QString());

    m_window->startAll();
    QTRY_COMPARE(cell(0, ShardViewModel::State), u"ready"_s);
    QTRY_COMPARE(cell(2, ShardViewModel::State), u"ready"_s);
    QTRY_COMPARE(cell(3, ShardViewModel::State), u"hello"_s);
    QTRY_COMPARE(cell(2, ShardViewModel::Guilds), u"200"_s);
    QTRY_COMPARE(cell(0, ShardViewModel::Guilds), u"200"_s);
    QCOMPARE(cell(0, ShardViewModel::Ping), u"41 ms"_s);
    // No per-shard number: no guilds, the process's ping.
    QCOMPARE(cell(1, ShardViewModel::Guilds), QString());
    QCOMPARE(cell(1, ShardViewModel::Ping), u"40 ms"_s);
    QVERIFY(cell(0, ShardViewModel::LastEvent).contains(u"Received READY"_s));
    QVERIFY(!cell(0, ShardViewModel::Age).isEmpty());
    QTRY_VERIFY2(m_window->shardView()->totalsText().contains(u"Shards ready: 2/4"_s),
                 qPrintable(m_window->shardView()->totalsText()));
    QTRY_VERIFY2(m_window->shardView()->totalsText().contains(u"Guilds: 600"_s),
                 qPrintable(m_window->shardView()->totalsText()));
    QVERIFY(m_window->shardView()->totalsText().contains(u"Average ping: 40 ms"_s));

    // Stopped, nothing of the run is left: no state, ping, guilds or event.
    m_engine->stopAll();
    QTRY_VERIFY(!m_engine->isBusy());
    for (int row = 0; row < 4; ++row) {
        for (int column : {ShardViewModel::State, ShardViewModel::Ping, ShardViewModel::Guilds,
                           ShardViewModel::LastEvent, ShardViewModel::Age})
            QVERIFY2(
                cell(row, column).isEmpty(),
                qPrintable(u"row %1 column %2: %3"_s.arg(row).arg(column).arg(cell(row, column))));
    }
    QTRY_VERIFY2(m_window->shardView()->totalsText().contains(u"Shards ready: 0/4"_s),
                 qPrintable(m_window->shardView()->totalsText()));
    QVERIFY(!m_window->shardView()->totalsText().contains(u"Guilds"_s));
    QCOMPARE(model->rememberedStates(), 0);
}

void TestWindowViews::shardViewOfHundredThousandShardsKeepsNothingPerShard()
{
    QVERIFY(m_window->openProfile(
        m_bot.write({{u"maxShards"_s, 100000}, {u"shardsPerProcess"_s, 1000}})));
    ShardView *view = m_window->shardView();
    const ShardViewModel *model = view->model();
    QCOMPARE(model->rowCount(), 100000);
    QCOMPARE(model->rememberedStates(), 0);
    QCOMPARE(model->index(99999, ShardViewModel::Shard).data().toInt(), 99999);
    QCOMPARE(model->index(99999, ShardViewModel::Process).data().toInt(), 99);
    QCOMPARE(model->index(54321, ShardViewModel::Process).data().toInt(), 54);
    QCOMPARE(model->rowOfShard(54321), 54321);
    QCOMPARE(model->rowOfShard(100000), -1);
    QVERIFY(view->totalsText().contains(u"Shards ready: 0/100000"_s));
    // Going to a shard scrolls there: the view measures no row on the way.
    view->findChild<QSpinBox *>(u"shardGoTo"_s)->setValue(77777);
    QCOMPARE(view->table()->currentIndex().row(), 77777);
}

void TestWindowViews::shardViewCanBeHidden()
{
    auto *tabs = m_window->findChild<QTabWidget *>(u"tableTabs"_s);
    QVERIFY(tabs);
    const int index = tabs->indexOf(m_window->shardView());
    QVERIFY(index >= 0);
    QVERIFY(tabs->isTabVisible(index));
    action(u"shardViewAction"_s)->trigger();
    QVERIFY(!tabs->isTabVisible(index));
    QCOMPARE(QSettings().value(u"window/shardView"_s).toBool(), false);
    // Remembered by the next window.
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    tabs = m_window->findChild<QTabWidget *>(u"tableTabs"_s);
    QVERIFY(!tabs->isTabVisible(tabs->indexOf(m_window->shardView())));
    QVERIFY(!action(u"shardViewAction"_s)->isChecked());
}

void TestWindowViews::shardTabIsRemembered()
{
    auto *tabs = m_window->findChild<QTabWidget *>(u"tableTabs"_s);
    QCOMPARE(tabs->currentWidget(), m_window->processTable());
    tabs->setCurrentWidget(m_window->shardView());
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    tabs = m_window->findChild<QTabWidget *>(u"tableTabs"_s);
    QCOMPARE(tabs->currentWidget(), m_window->shardView());
}

void TestWindowViews::welcomePageWhenNothingToOpen()
{
    QVERIFY(!m_window->openAtStart(QString()));
    WelcomePage *welcome = m_window->welcomePage();
    QVERIFY(welcome);
    QCOMPARE(m_window->centralWidget(), welcome);
    auto *profileDock = m_window->findChild<QDockWidget *>(u"profileDock"_s);
    QVERIFY(!profileDock->isVisible());
    QVERIFY(!m_window->statusBar()->isVisible());
    QVERIFY(m_window->windowTitle().startsWith(u"Welcome"_s));
    // No service in this test: nothing to attach through.
    QVERIFY(!welcome->findChild<QPushButton *>(u"welcomeAttach"_s)->isEnabled());
    QVERIFY(welcome->findChild<QLabel *>() != nullptr);

    QTest::mouseClick(welcome->findChild<QPushButton *>(u"welcomeNew"_s), Qt::LeftButton);
    QVERIFY(!m_window->welcomePage());
    QCOMPARE(m_window->centralWidget()->objectName(), u"centralSplitter"_s);
    QTRY_VERIFY(profileDock->isVisible());
    QVERIFY(m_window->statusBar()->isVisible());
    QVERIFY(m_window->windowTitle().startsWith(u"Untitled"_s));
    QVERIFY(m_window->profilePath().isEmpty());
}

void TestWindowViews::welcomePageOpensRecentAndDemo()
{
    const QString profile = m_bot.write({});
    QSettings().setValue(u"recentProfiles"_s,
                         QStringList {profile, m_bot.filePath(u"gone.json"_s)});
    QVERIFY(!m_window->openAtStart(QString()));
    auto *list = m_window->welcomePage()->findChild<QListWidget *>(u"welcomeRecent"_s);
    QCOMPARE(list->count(), 1); // the one that exists
    emit list->itemActivated(list->item(0));
    QVERIFY(!m_window->welcomePage());
    QCOMPARE(m_window->profilePath(), QFileInfo(profile).absoluteFilePath());

    // Open Demo: the bundled demo profile, with its bot found beside the program.
    const QString demo = WelcomePage::demoProfile();
    QVERIFY(!demo.isEmpty());
    m_window->showWelcome();
    auto *button = m_window->welcomePage()->findChild<QPushButton *>(u"welcomeDemo"_s);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!m_window->welcomePage());
    QCOMPARE(QFileInfo(m_window->profilePath()).fileName(), u"demo.json"_s);
    QCOMPARE(m_engine->processCount(), 3);
}

void TestWindowViews::lastProfileSkipsWelcome()
{
    const QString profile = m_bot.write({});
    QSettings().setValue(u"lastProfile"_s, profile);
    QVERIFY(m_window->openAtStart(QString()));
    QVERIFY(!m_window->welcomePage());
    QCOMPARE(m_window->profilePath(), QFileInfo(profile).absoluteFilePath());
    // A requested profile that cannot be opened: an empty profile, not the welcome page.
    QTimer::singleShot(0, this, [] {
        if (auto *box = QApplication::activeModalWidget())
            box->close();
    });
    QVERIFY(!m_window->openAtStart(m_bot.filePath(u"missing.json"_s)));
    QVERIFY(!m_window->welcomePage());
}

void TestWindowViews::darkThemeKeepsLogColoursReadable()
{
    for (const QString &mode : {u"dark"_s, u"light"_s}) {
        action(u"theme_"_s + mode)->trigger();
        QCOMPARE(QSettings().value(u"window/theme"_s).toString(), mode);
        const QPalette palette = QApplication::palette();
        const bool dark = mode == u"dark"_s;
        QCOMPARE(palette.color(QPalette::Window).lightness() < 128, dark);
        QCOMPARE(palette.color(QPalette::Base).lightness() < 128, dark);
        QVERIFY(contrast(palette.color(QPalette::Text), palette.color(QPalette::Base)) >= 7);
        // Widgets under a style sheet (the profile editor) follow too.
        auto *field = m_window->findChild<QLineEdit *>(u"field_file"_s);
        QVERIFY(field);
        QCOMPARE(field->palette().color(QPalette::Base).lightness() < 128, dark);
        // The log panes pick their ANSI set from the palette: every colour but the one meant to
        // be invisible on it (black on dark, white on light) stays readable.
        const AnsiText ansi(palette);
        QCOMPARE(ansi.isDarkBackground(), dark);
        for (int i = 1; i < 16; ++i) {
            if (i == 7 || i == 8 || i == 15)
                continue; // the greys: muted on purpose
            const double ratio = contrast(ansi.color(i), palette.color(QPalette::Base));
            QVERIFY2(ratio >= 3.0,
                     qPrintable(u"%1: colour %2 at %3:1"_s.arg(mode).arg(i).arg(ratio)));
        }
    }
    // The choice is the next window's too.
    action(u"theme_dark"_s)->trigger();
    Theme::apply(Theme::Mode::System);
    m_window = std::make_unique<MainWindow>(m_engine.get(), &m_secrets);
    QVERIFY(action(u"theme_dark"_s)->isChecked());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
}

void TestWindowViews::systemDarknessIsRead()
{
    const QPalette light = Theme::lightPalette();
    QVERIFY(!Theme::systemPrefersDark(light, u"gtk3 Adwaita"_s));
    QVERIFY(Theme::systemPrefersDark(light, u"gtk3 Adwaita-dark"_s));
    QVERIFY(Theme::systemPrefersDark(Theme::darkPalette(), QString()));
    // System follows the desktop; Light and Dark do not.
    const auto windowLightness
        = [](const QPalette &p) { return p.color(QPalette::Window).lightness(); };
    QVERIFY(windowLightness(Theme::palette(Theme::Mode::System, light, u"Adwaita-dark"_s)) < 128);
    QVERIFY(windowLightness(Theme::palette(Theme::Mode::System, light, QString())) >= 128);
    QVERIFY(windowLightness(Theme::palette(Theme::Mode::Light, Theme::darkPalette(), {})) >= 128);
    QVERIFY(windowLightness(Theme::palette(Theme::Mode::Dark, light, {})) < 128);
}

void TestWindowViews::detailsShowHowTheProcessIsStarted()
{
    QVERIFY(m_window->openProfile(
        m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--print-args"_s, u"--run"_s}}})));
    auto *launch = m_window->findChild<LaunchDetails *>();
    QVERIFY(launch);
    m_window->processTable()->selectProcess(1);
    QVERIFY2(launch->text().contains(u"SHARDER_PROCESS=1"_s), qPrintable(launch->text()));
    QVERIFY(launch->text().contains(u"SHARDER_IPC_TOKEN=[secret]"_s));
    QVERIFY(!launch->text().contains(u"DISCORD_TOKEN"_s)); // no token stored: none given
    const QString token = u"Mz.not-a-real.token-for-the-details-test"_s;
    m_engine->setToken(token);
    launch->refresh();
    QVERIFY(launch->text().contains(u"DISCORD_TOKEN=[token]"_s));
    QVERIFY(!launch->text().contains(token));

    // What it shows is what the child got: its argv, as it prints it.
    m_window->startAll();
    QTRY_VERIFY(m_engine->process(1)->recentLines().size() > 0);
    const QString printed = m_engine->process(1)->recentLines().lines().first().text;
    QVERIFY2(printed.startsWith(u"ARGV "_s), qPrintable(printed));
    const QJsonArray argv = QJsonDocument::fromJson(printed.mid(5).toUtf8()).array();
    const LaunchInfo info = m_engine->launchInfo(1);
    QStringList shown {info.program};
    shown << info.arguments;
    QCOMPARE(argv.toVariantList().size(), shown.size());
    for (int i = 0; i < shown.size(); ++i)
        QCOMPARE(argv.at(i).toString(), shown.at(i));
    QVERIFY(launch->text().contains(info.commandLine()));
}

void TestWindowViews::memoryOverWarningIsNotified()
{
    QVERIFY(m_window->openProfile(
        m_bot.write({{u"maxShards"_s, 1},
                     {u"memoryWarn"_s, 20000000},
                     {u"interpreterArgs"_s, QJsonArray {u"--alloc=40"_s, u"--run"_s}}})));
    QSignalSpy messages(m_window->statusBar(), &QStatusBar::messageChanged);
    m_window->startAll();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(
                                 messages.cbegin(), messages.cend(),
                                 [](const QList<QVariant> &m) {
        return m.first().toString().contains(u"process 0 uses"_s)
            && m.first().toString().contains(u"over its memory warning"_s);
                                 }),
                             10000);
}

QTEST_MAIN(TestWindowViews)
#include "tst_windowviews.moc"
