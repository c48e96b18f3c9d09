// The window's actions: made once here, put in the menus, the toolbar, the table's context menu
// and the tray menu, and enabled as the engine's state allows.

#include "mainwindow.h"

#include "diagnostics.h"
#include "engine/abstractengine.h"
#include "findbar.h"
#include "logtabs.h"
#include "processtableview.h"
#include "profileeditor.h"
#include "recentprofilesmenu.h"
#include "shortcutsdialog.h"
#include "traynotifier.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QToolBar>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QAction *makeAction(QObject *parent, const QString &text, const QString &icon,
                    const QKeySequence &shortcut, const QString &tip)
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setShortcut(shortcut);
    action->setToolTip(shortcut.isEmpty()
                           ? tip
                           : u"%1 (%2)"_s.arg(tip, shortcut.toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
    return action;
}
} // namespace

void MainWindow::createActions()
{
    m_newAction = makeAction(this, tr("&New Profile"), u"document-new"_s, QKeySequence::New,
                             tr("Start a new profile"));
    m_openAction = makeAction(this, tr("&Open Profile…"), u"document-open"_s, QKeySequence::Open,
                              tr("Open a profile"));
    m_saveAction = makeAction(this, tr("&Save"), u"document-save"_s, QKeySequence::Save,
                              tr("Save the profile"));
    m_saveAsAction
        = makeAction(this, tr("Save &As…"), u"document-save-as"_s, Qt::CTRL | Qt::SHIFT | Qt::Key_S,
                     tr("Save the profile under another name"));
    m_saveAsAction->setObjectName(u"saveAsAction"_s);
    m_quitAction = makeAction(this, tr("&Quit"), u"application-exit"_s, QKeySequence::Quit,
                              tr("Quit Shard Manager"));
    m_startAllAction = makeAction(this, tr("Start &All"), u"media-playback-start"_s, Qt::Key_F5,
                                  tr("Start every process, waitTime apart"));
    m_stopAllAction
        = makeAction(this, tr("St&op All"), u"media-playback-stop"_s, Qt::SHIFT | Qt::Key_F5,
                     tr("Stop every process (press again while stopping to kill)"));
    m_restartAllAction
        = makeAction(this, tr("&Restart All"), u"view-refresh"_s, Qt::CTRL | Qt::Key_F5,
                     tr("Stop every process, then start them all again"));
    m_rollingAction = makeAction(
        this, tr("Ro&lling Restart"), u"media-seek-forward"_s, Qt::CTRL | Qt::SHIFT | Qt::Key_F5,
        tr("Restart one process at a time, each waiting for the previous to run again"));
    m_startAction = makeAction(this, tr("S&tart Selected"), u"media-playback-start"_s, Qt::Key_F6,
                               tr("Start the selected processes"));
    m_stopAction = makeAction(this, tr("Sto&p Selected"), u"media-playback-stop"_s,
                              Qt::SHIFT | Qt::Key_F6, tr("Stop the selected processes"));
    m_restartAction = makeAction(this, tr("Restart S&elected"), u"view-refresh"_s,
                                 Qt::CTRL | Qt::Key_F6, tr("Restart the selected processes"));
    // F9 as in htop; asks first.
    m_killAction
        = makeAction(this, tr("&Kill Selected…"), u"process-stop"_s, Qt::Key_F9,
                     tr("End the selected processes at once (SIGKILL), unsaved state lost"));
    m_killAction->setObjectName(u"killSelectedAction"_s);
    m_openLogAction = makeAction(this, tr("Open &Log"), u"utilities-terminal"_s, QKeySequence(),
                                 tr("Open the log pane of the selected process"));
    m_aboutAction = makeAction(this, tr("&About Shard Manager"), u"help-about"_s, QKeySequence(),
                               tr("Version and licence"));
    m_tokenAction = makeAction(this, tr("Set &Token…"), u"dialog-password"_s, Qt::CTRL | Qt::Key_T,
                               tr("Store the bot token in the system keychain"));
    m_tokenAction->setObjectName(u"tokenAction"_s);
    m_quitAction->setObjectName(u"quitAction"_s);
    m_resumeAction = makeAction(
        this, tr("Res&ume Automatic Restarts"), u"media-playback-start"_s, QKeySequence(),
        tr("Let processes restart again after the identify budget guard paused them"));
    m_resumeAction->setObjectName(u"resumeRestartsAction"_s);
    connect(m_tokenAction, &QAction::triggered, this, &MainWindow::showTokenDialog);
    connect(m_resumeAction, &QAction::triggered, m_engine, &AbstractEngine::resumeAutoRestarts);
    m_startAllAction->setObjectName(u"startAllAction"_s);
    m_stopAllAction->setObjectName(u"stopAllAction"_s);
    m_restartAllAction->setObjectName(u"restartAllAction"_s);
    m_rollingAction->setObjectName(u"rollingRestartAction"_s);
    m_startAction->setObjectName(u"startSelectedAction"_s);
    m_stopAction->setObjectName(u"stopSelectedAction"_s);
    m_restartAction->setObjectName(u"restartSelectedAction"_s);
    m_saveAction->setObjectName(u"saveAction"_s);

    connect(m_newAction, &QAction::triggered, this, &MainWindow::newProfile);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Profile"),
                                                          QFileInfo(m_profilePath).absolutePath(),
                                                          tr("Profiles (*.json);;All files (*)"));
        if (!path.isEmpty())
            openProfile(path);
    });
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveAs);
    connect(m_quitAction, &QAction::triggered, this, [this] {
        m_quitRequested = true; // not just the window: from the tray too
        if (!close())
            m_quitRequested = false;
    });
    connect(m_startAllAction, &QAction::triggered, this, &MainWindow::startAll);
    // A second Stop All while processes are still stopping kills them (the engine's stopAll).
    connect(m_stopAllAction, &QAction::triggered, m_engine, &AbstractEngine::stopAll);
    connect(m_restartAllAction, &QAction::triggered, m_engine, &AbstractEngine::restartAll);
    connect(m_rollingAction, &QAction::triggered, m_engine, &AbstractEngine::rollingRestart);
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startSelected);
    connect(m_stopAction, &QAction::triggered, this,
            [this] { forSelected(&AbstractEngine::stopProcess); });
    connect(m_restartAction, &QAction::triggered, this,
            [this] { forSelected(&AbstractEngine::restartProcess); });
    connect(m_killAction, &QAction::triggered, this, &MainWindow::killSelected);
    connect(m_openLogAction, &QAction::triggered, this, [this] {
        for (int process : m_table->selectedProcesses())
            m_logs->openProcess(process);
    });
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);

    m_table->setContextActions(
        {m_startAction, m_stopAction, m_restartAction, m_killAction, m_openLogAction});
    // Placed under the log panes by createViews().
    m_findBar = new FindBar(m_logs, this);

    auto *toolbar = addToolBar(tr("Processes"));
    toolbar->setObjectName(u"processToolBar"_s);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_startAllAction);
    toolbar->addAction(m_stopAllAction);
    toolbar->addAction(m_restartAllAction);
    toolbar->addAction(m_rollingAction);
    toolbar->addSeparator();
    toolbar->addAction(m_startAction);
    toolbar->addAction(m_stopAction);
    toolbar->addAction(m_restartAction);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_fileMenu = file;
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recent = new RecentProfilesMenu(this);
    connect(m_recent, &RecentProfilesMenu::openRequested, this, [this](const QString &path) {
        if (maybeSave())
            openProfile(path);
    });
    file->addMenu(m_recent);
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_tokenAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions(m_findBar->findActions());

    QMenu *processes = menuBar()->addMenu(tr("&Processes"));
    processes->addAction(m_startAllAction);
    processes->addAction(m_stopAllAction);
    processes->addAction(m_restartAllAction);
    processes->addAction(m_rollingAction);
    processes->addSeparator();
    processes->addAction(m_startAction);
    processes->addAction(m_stopAction);
    processes->addAction(m_restartAction);
    processes->addAction(m_killAction);
    processes->addAction(m_openLogAction);
    processes->addSeparator();
    processes->addAction(m_resumeAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this,
                                         [this] { ShortcutsDialog(this).exec(); });
    shortcuts->setObjectName(u"shortcutsAction"_s);
    help->addAction(m_aboutAction);

    auto *trayMenu = new QMenu(this);
    trayMenu->addAction(tr("Show Window"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    trayMenu->addSeparator();
    trayMenu->addAction(m_startAllAction);
    trayMenu->addAction(m_stopAllAction);
    trayMenu->addSeparator();
    trayMenu->addAction(m_quitAction);
    m_tray = new TrayNotifier(m_engine, trayMenu, this);
    connect(m_tray, &TrayNotifier::activated, this, [this] {
        if (isVisible() && !isMinimized()) {
            hide();
        } else {
            showNormal();
            raise();
            activateWindow();
        }
    });
}

void MainWindow::updateActions()
{
    const bool valid = m_editor->isValid();
    const RunStatus run = m_engine->status();
    const bool busy = run.busy;
    const bool hasProcesses = m_engine->processCount() > 0;
    m_editor->setLocked(busy);
    m_startAllAction->setEnabled(valid && hasProcesses);
    m_stopAllAction->setEnabled(busy);
    m_restartAllAction->setEnabled(valid && hasProcesses);
    m_rollingAction->setEnabled(busy && !run.rollingRestart);
    const QList<int> selection = m_table->selectedProcesses();
    const bool selected = !selection.isEmpty();
    // Start Selected has something to do only for a selected process that does not run.
    const bool startable = std::any_of(selection.cbegin(), selection.cend(), [this](int i) {
        const ProcessView *p = m_engine->process(i);
        return p && !p->isActive();
    });
    m_startAction->setEnabled(valid && startable);
    m_stopAction->setEnabled(selected && busy);
    m_restartAction->setEnabled(valid && selected);
    m_killAction->setEnabled(std::any_of(selection.cbegin(), selection.cend(), [this](int i) {
        const ProcessView *p = m_engine->process(i);
        return p && p->isActive();
    }));
    m_openLogAction->setEnabled(selected);
    m_resumeAction->setEnabled(run.autoRestartsPaused);
    // Attached to a service, another profile is just another service to look at.
    const bool canSwitch = !busy || m_service;
    m_newAction->setEnabled(canSwitch);
    m_openAction->setEnabled(canSwitch);
    m_recent->setEnabled(canSwitch);
    // A disabled item says why, where the pointer is and in the status bar.
    const QString why = canSwitch ? QString() : tr(" (stop the running processes first)");
    for (auto [action, tip] : {std::pair {m_newAction, tr("Start a new profile")},
                               std::pair {m_openAction, tr("Open a profile")}}) {
        action->setStatusTip(tip + why);
        action->setToolTip(
            u"%1 (%2)"_s.arg(tip + why, action->shortcut().toString(QKeySequence::NativeText)));
    }
    m_recent->setToolTip(why.isEmpty() ? QString() : tr("Stop the running processes first"));
}

void MainWindow::killSelected()
{
    // Only a process that has a live group can be killed; a pending or restarting one has none.
    QList<int> live;
    QStringList names;
    for (int process : m_table->selectedProcesses()) {
        const ProcessView *p = m_engine->process(process);
        if (!p || !p->isActive())
            continue;
        live << process;
        const ShardRange &r = p->range();
        names << (r.first == r.last
                      ? tr("%1 (shard %2)").arg(process).arg(r.first)
                      : tr("%1 (shards %2–%3)").arg(process).arg(r.first).arg(r.last));
    }
    if (live.isEmpty())
        return;
    const QString question = live.size() == 1
        ? tr("Kill process %1? It gets SIGKILL and cannot save its state.").arg(names.first())
        : tr("Kill %n process(es): %1? They get SIGKILL and cannot save their state.", nullptr,
             int(live.size()))
              .arg(names.join(u", "_s));
    QMessageBox box(QMessageBox::Warning, tr("Kill"), question, QMessageBox::Cancel, this);
    box.setObjectName(u"killQuestion"_s);
    QPushButton *kill = box.addButton(tr("Kill"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != kill)
        return;
    for (int process : std::as_const(live))
        m_engine->killProcess(process);
}
