// MainWindow's views beside the process table (the shard view), the welcome page it shows when
// it opens with nothing, and the View menu's theme.
#include "mainwindow.h"

#include "findbar.h"
#include "launchdetails.h"
#include "logtabs.h"
#include "memoryalerts.h"
#include "processchart.h"
#include "processtableview.h"
#include "secrets/tokenstore.h"
#include "shardview.h"
#include "theme.h"
#include "traynotifier.h"
#include "welcomepage.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

void MainWindow::createViews()
{
    // The process table and the shard view share the table's place as two tabs.
    m_shardView = new ShardView(m_engine, this);
    connect(m_shardView, &ShardView::openLogRequested, m_logs, &LogTabs::openProcess);
    if (auto *splitter = findChild<QSplitter *>(u"centralSplitter"_s)) {
        auto *tabs = new QTabWidget;
        tabs->setObjectName(u"tableTabs"_s);
        tabs->setDocumentMode(true);
        splitter->replaceWidget(splitter->indexOf(m_table), tabs);
        tabs->addTab(m_table, tr("Processes"));
        tabs->addTab(m_shardView, tr("Shards"));
        QAction *toggle = m_viewMenu->addAction(tr("S&hards"));
        toggle->setObjectName(u"shardViewAction"_s);
        toggle->setCheckable(true);
        toggle->setShortcut(Qt::CTRL | Qt::Key_4);
        toggle->setStatusTip(tr("One row per gateway shard, with the run's totals"));
        const bool shown = QSettings().value(u"window/shardView"_s, true).toBool();
        toggle->setChecked(shown);
        tabs->setTabVisible(tabs->indexOf(m_shardView), shown);
        // The tab last looked at is the one the next window opens on.
        tabs->setCurrentIndex(QSettings().value(u"window/tableTab"_s, 0).toInt());
        connect(tabs, &QTabWidget::currentChanged, this,
                [](int index) { QSettings().setValue(u"window/tableTab"_s, index); });
        connect(toggle, &QAction::toggled, this, [tabs, this](bool on) {
            tabs->setTabVisible(tabs->indexOf(m_shardView), on);
            if (on)
                tabs->setCurrentWidget(m_shardView);
            QSettings().setValue(u"window/shardView"_s, on);
        });
    }

    // The find bar sits under the log panes it searches, hidden until Ctrl+F.
    if (auto *splitter = findChild<QSplitter *>(u"centralSplitter"_s)) {
        auto *logArea = new QWidget;
        logArea->setObjectName(u"logArea"_s);
        auto *layout = new QVBoxLayout(logArea);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        splitter->replaceWidget(splitter->indexOf(m_logs), logArea);
        layout->addWidget(m_logs, 1);
        layout->addWidget(m_findBar);
    }

    // The details dock also says how the selected process is started.
    if (auto *details = findChild<ProcessDetails *>()) {
        auto *launch = new LaunchDetails(m_engine, details);
        if (auto *layout = qobject_cast<QVBoxLayout *>(details->layout()))
            layout->addWidget(launch);
        connect(m_table, &ProcessTableView::selectionChangedProcesses, launch, [this, launch] {
            const QList<int> selected = m_table->selectedProcesses();
            if (!selected.isEmpty())
                launch->setProcess(selected.first());
        });
        // Queued: the engine takes the token in a connection made after this one.
        connect(m_tokens, &TokenStore::tokenChanged, launch, &LaunchDetails::refresh,
                Qt::QueuedConnection);
    }

    // Memory over memoryWarn or memoryLimit: the status bar, the All pane and the tray say it.
    auto *memory = new MemoryAlerts(m_engine, this);
    connect(memory, &MemoryAlerts::crossed, this, [this](int, int, const QString &text) {
        showNotice(text);
        if (m_tray)
            m_tray->notify(tr("Memory"), text);
    });

    m_viewMenu->addSeparator();
    QMenu *themeMenu = m_viewMenu->addMenu(tr("&Theme"));
    themeMenu->setObjectName(u"themeMenu"_s);
    auto *group = new QActionGroup(themeMenu);
    const Theme::Mode current = Theme::saved();
    const std::pair<Theme::Mode, QString> modes[] = {{Theme::Mode::System, tr("&System")},
                                                     {Theme::Mode::Light, tr("&Light")},
                                                     {Theme::Mode::Dark, tr("&Dark")}};
    for (const auto &[mode, text] : modes) {
        QAction *action = themeMenu->addAction(text);
        action->setObjectName(u"theme_"_s + Theme::name(mode));
        action->setCheckable(true);
        action->setChecked(mode == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [mode] {
            Theme::save(mode);
            Theme::apply(mode);
        });
    }
    Theme::apply(current);
}

bool MainWindow::openAtStart(const QString &requested)
{
    if (!requested.isEmpty()) {
        if (openProfile(requested))
            return true;
        newProfile();
        return false;
    }
    const QString last = QSettings().value(u"lastProfile"_s).toString();
    if (!last.isEmpty() && QFileInfo::exists(last) && openProfile(last))
        return true;
    newProfile();
    showWelcome();
    return false;
}

void MainWindow::showWelcome()
{
    if (m_welcome)
        return;
    m_welcome = new WelcomePage(this);
    // Whatever the user picks, the normal window comes back first: the choice may ask a
    // question (Open…'s file dialog) over it, or fail and leave the empty profile to edit.
    const auto choose = [this](auto &&then) {
        return [this, then](auto &&...args) {
            leaveWelcome();
            then(args...);
        };
    };
    connect(m_welcome, &WelcomePage::openDemoRequested, this,
            choose([this](const QString &path) { openProfile(WelcomePage::writableDemo(path)); }));
    connect(m_welcome, &WelcomePage::newProfileRequested, this, choose([] {}));
    connect(m_welcome, &WelcomePage::openRequested, this, choose([this] {
                const QString path
                    = QFileDialog::getOpenFileName(this, tr("Open Profile"), QDir::homePath(),
                                                   tr("Profiles (*.json);;All files (*)"));
                if (!path.isEmpty())
                    openProfile(path);
            }));
    connect(m_welcome, &WelcomePage::openRecentRequested, this,
            choose([this](const QString &path) { openProfile(path); }));
    QAction *attach = findChild<QAction *>(u"attachRemoteAction"_s);
    if (auto *button = m_welcome->findChild<QWidget *>(u"welcomeAttach"_s))
        button->setEnabled(attach != nullptr);
    connect(m_welcome, &WelcomePage::attachRequested, this, choose([attach] {
                if (attach)
                    attach->trigger();
            }));

    // The docks and toolbars describe a profile there is not yet: hidden until a choice.
    m_hiddenForWelcome.clear();
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        if (!dock->isHidden()) {
            m_hiddenForWelcome << dock;
            dock->hide();
        }
    }
    for (QToolBar *bar : findChildren<QToolBar *>()) {
        if (!bar->isHidden()) {
            m_hiddenForWelcome << bar;
            bar->hide();
        }
    }
    // Nothing runs and nothing is open: the status bar's counts would only be noise.
    if (!statusBar()->isHidden()) {
        m_hiddenForWelcome << statusBar();
        statusBar()->hide();
    }
    m_mainContent = takeCentralWidget();
    m_mainContent->setParent(this); // still the window's, deleted with it if never shown again
    m_mainContent->hide();
    setCentralWidget(m_welcome);
    setWindowTitle(tr("Welcome — Shard Manager"));
}

void MainWindow::leaveWelcome()
{
    if (!m_welcome)
        return;
    takeCentralWidget();
    m_welcome->hide();
    m_welcome->deleteLater(); // its button's signal may still be on the stack
    m_welcome = nullptr;
    setCentralWidget(m_mainContent);
    m_mainContent = nullptr;
    for (QWidget *w : std::as_const(m_hiddenForWelcome))
        w->show();
    m_hiddenForWelcome.clear();
    updateTitle();
}
