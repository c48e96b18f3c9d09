#include "mainwindow.h"

#include "appicon.h"
#include "ipcconsole.h"
#include "ipcmessagemodel.h"
#include "logpane.h"
#include "logtabs.h"
#include "processchart.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "profileeditor.h"
#include "recentprofilesmenu.h"
#include "engine/shardengine.h"
#include "tokendialog.h"
#include "secrets/tokenstore.h"
#include "traynotifier.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace {
QAction *makeAction(QObject *parent, const QString &text, const QString &icon,
                    const QKeySequence &shortcut, const QString &tip)
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setShortcut(shortcut);
    action->setToolTip(shortcut.isEmpty() ? tip : u"%1 (%2)"_s.arg(tip, shortcut.toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
    return action;
}
} // namespace

MainWindow::MainWindow(ShardEngine *engine, SecretBackend *secrets, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_tableModel(new ProcessTableModel(engine, this))
    , m_ipcModel(new IpcMessageModel(engine, this))
    , m_editor(new ProfileEditor(this))
    , m_table(new ProcessTableView(m_tableModel, this))
    , m_logs(new LogTabs(engine, this))
    , m_console(new IpcConsole(engine, m_ipcModel, this))
    , m_tokens(new TokenStore(secrets, this))
{
    setObjectName(u"mainWindow"_s);
    setWindowIcon(AppIcon::application());
    resize(1280, 820);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(u"centralSplitter"_s);
    splitter->addWidget(m_table);
    splitter->addWidget(m_logs);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    createActions();
    createMenus();
    createDocks();
    createStatusBar();

    connect(m_editor, &ProfileEditor::profileEdited, this, &MainWindow::onProfileEdited);
    connect(m_editor, &ProfileEditor::validityChanged, this, &MainWindow::updateActions);
    connect(m_table, &ProcessTableView::openLogRequested, m_logs, &LogTabs::openProcess);
    connect(m_table, &ProcessTableView::selectionChangedProcesses, this, &MainWindow::updateActions);
    connect(engine, &ShardEngine::processStateChanged, this, [this] {
        updateActions();
        updateStatus();
    });
    connect(engine, &ShardEngine::sessionOpened, this, &MainWindow::updateStatus);
    connect(engine, &ShardEngine::ipcConnectionsChanged, this, &MainWindow::updateStatus);
    connect(engine, &ShardEngine::logFileError, this, [this](const QString &message) {
        updateStatus();
        showNotice(message);
    });
    connect(engine, &ShardEngine::notice, this, &MainWindow::showNotice);
    connect(engine, &ShardEngine::processExited, this, [this](int process, const ExitInfo &info) {
        if (!info.requested)
            showNotice(tr("process %1 exited: %2%3").arg(process).arg(info.describe(),
                           info.restartScheduled ? u", "_s + info.restartText() : QString()));
    });
    connect(m_tokens, &TokenStore::tokenChanged, engine, &ShardEngine::setToken);
    connect(m_tokens, &TokenStore::statusChanged, this, &MainWindow::updateTokenStatus);
    connect(m_editor, &ProfileEditor::fetchGatewayRequested, this, &MainWindow::fetchGateway);
    connect(engine, &ShardEngine::gatewayFetched, this, [this](const GatewayInfo &info) {
        m_editor->setGatewayInfo(info);
        updateStatus();
    });
    connect(engine, &ShardEngine::gatewayFailed, this, [this](const QString &message) {
        m_editor->setGatewayMessage(message);
        showNotice(ShardEngine::gatewayFailureText(message));
    });
    connect(engine, &ShardEngine::startFailed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Cannot start"), message);
    });
    connect(engine, &ShardEngine::autoRestartsPausedChanged, this, [this](bool paused, const QString &reason) {
        updateActions();
        updateStatus();
        if (paused) {
            // Not modal: the processes (and the window) go on while the user reads it.
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Automatic restarts paused"), reason,
                                        QMessageBox::Ok, this);
            box->setObjectName(u"pausedMessage"_s);
            box->setInformativeText(tr("Use Processes > Resume Automatic Restarts when you have looked into it."));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    connect(engine, &ShardEngine::allStopped, this, [this] {
        updateActions();
        updateStatus();
        if (m_quitAfterStop)
            close();
    });

    restoreSettings();
    updateActions();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_newAction = makeAction(this, tr("&New Profile"), u"document-new"_s, QKeySequence::New, tr("Start a new profile"));
    m_openAction = makeAction(this, tr("&Open Profile…"), u"document-open"_s, QKeySequence::Open, tr("Open a profile"));
    m_saveAction = makeAction(this, tr("&Save"), u"document-save"_s, QKeySequence::Save, tr("Save the profile"));
    m_saveAsAction = makeAction(this, tr("Save &As…"), u"document-save-as"_s, QKeySequence::SaveAs,
                                tr("Save the profile under another name"));
    m_quitAction = makeAction(this, tr("&Quit"), u"application-exit"_s, QKeySequence::Quit, tr("Quit Shard Manager"));
    m_startAllAction = makeAction(this, tr("Start &All"), u"media-playback-start"_s, Qt::Key_F5,
                                  tr("Start every process, waitTime apart"));
    m_stopAllAction = makeAction(this, tr("St&op All"), u"media-playback-stop"_s, Qt::SHIFT | Qt::Key_F5,
                                 tr("Stop every process (press again while stopping to kill)"));
    m_restartAllAction = makeAction(this, tr("&Restart All"), u"view-refresh"_s, Qt::CTRL | Qt::Key_F5,
                                    tr("Stop every process, then start them all again"));
    m_rollingAction = makeAction(this, tr("Ro&lling Restart"), u"media-seek-forward"_s,
                                 Qt::CTRL | Qt::SHIFT | Qt::Key_F5,
                                 tr("Restart one process at a time, each waiting for the previous to run again"));
    m_startAction = makeAction(this, tr("S&tart Selected"), u"media-playback-start"_s, Qt::Key_F6,
                               tr("Start the selected processes"));
    m_stopAction = makeAction(this, tr("Sto&p Selected"), u"media-playback-stop"_s, Qt::SHIFT | Qt::Key_F6,
                              tr("Stop the selected processes"));
    m_restartAction = makeAction(this, tr("Restart S&elected"), u"view-refresh"_s, Qt::CTRL | Qt::Key_F6,
                                 tr("Restart the selected processes"));
    m_openLogAction = makeAction(this, tr("Open &Log"), u"utilities-terminal"_s, QKeySequence(),
                                 tr("Open the log pane of the selected process"));
    m_aboutAction = makeAction(this, tr("&About Shard Manager"), u"help-about"_s, QKeySequence(),
                               tr("Version and licence"));
    m_tokenAction = makeAction(this, tr("Set &Token…"), u"dialog-password"_s, Qt::CTRL | Qt::Key_T,
                               tr("Store the bot token in the system keychain"));
    m_tokenAction->setObjectName(u"tokenAction"_s);
    m_resumeAction = makeAction(this, tr("Res&ume Automatic Restarts"), u"media-playback-start"_s, QKeySequence(),
                                tr("Let processes restart again after the identify budget guard paused them"));
    m_resumeAction->setObjectName(u"resumeRestartsAction"_s);
    connect(m_tokenAction, &QAction::triggered, this, &MainWindow::showTokenDialog);
    connect(m_resumeAction, &QAction::triggered, m_engine, &ShardEngine::resumeAutoRestarts);
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
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);
    connect(m_startAllAction, &QAction::triggered, this, &MainWindow::startAll);
    // A second Stop All while processes are still stopping kills them (the engine's stopAll).
    connect(m_stopAllAction, &QAction::triggered, m_engine, &ShardEngine::stopAll);
    connect(m_restartAllAction, &QAction::triggered, m_engine, &ShardEngine::restartAll);
    connect(m_rollingAction, &QAction::triggered, m_engine, &ShardEngine::rollingRestart);
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startSelected);
    connect(m_stopAction, &QAction::triggered, this, [this] { forSelected(&ShardEngine::stopProcess); });
    connect(m_restartAction, &QAction::triggered, this, [this] { forSelected(&ShardEngine::restartProcess); });
    connect(m_openLogAction, &QAction::triggered, this, [this] {
        for (int process : m_table->selectedProcesses())
            m_logs->openProcess(process);
    });
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);

    m_table->setContextActions({m_startAction, m_stopAction, m_restartAction, m_openLogAction});

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

    QMenu *processes = menuBar()->addMenu(tr("&Processes"));
    processes->addAction(m_startAllAction);
    processes->addAction(m_stopAllAction);
    processes->addAction(m_restartAllAction);
    processes->addAction(m_rollingAction);
    processes->addSeparator();
    processes->addAction(m_startAction);
    processes->addAction(m_stopAction);
    processes->addAction(m_restartAction);
    processes->addAction(m_openLogAction);
    processes->addSeparator();
    processes->addAction(m_resumeAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
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

void MainWindow::createDocks()
{
    auto *profileDock = new QDockWidget(tr("Profile"), this);
    profileDock->setObjectName(u"profileDock"_s);
    profileDock->setWidget(m_editor);
    addDockWidget(Qt::LeftDockWidgetArea, profileDock);

    auto *ipcDock = new QDockWidget(tr("IPC Console"), this);
    ipcDock->setObjectName(u"ipcDock"_s);
    ipcDock->setWidget(m_console);
    addDockWidget(Qt::BottomDockWidgetArea, ipcDock);

    auto *details = new ProcessDetails(m_engine, this);
    auto *detailsDock = new QDockWidget(tr("Process Details"), this);
    detailsDock->setObjectName(u"detailsDock"_s);
    detailsDock->setWidget(details);
    addDockWidget(Qt::RightDockWidgetArea, detailsDock);
    connect(m_table, &ProcessTableView::selectionChangedProcesses, details, [this, details] {
        const QList<int> selected = m_table->selectedProcesses();
        if (!selected.isEmpty())
            details->setProcess(selected.first());
    });

    QAction *profileToggle = profileDock->toggleViewAction();
    profileToggle->setShortcut(Qt::CTRL | Qt::Key_1);
    QAction *ipcToggle = ipcDock->toggleViewAction();
    ipcToggle->setShortcut(Qt::CTRL | Qt::Key_2);
    QAction *detailsToggle = detailsDock->toggleViewAction();
    detailsToggle->setShortcut(Qt::CTRL | Qt::Key_3);
    m_viewMenu->addAction(profileToggle);
    m_viewMenu->addAction(ipcToggle);
    m_viewMenu->addAction(detailsToggle);
    m_viewMenu->addSeparator();
    QAction *focusIpc = m_viewMenu->addAction(tr("Send over &IPC…"));
    focusIpc->setShortcut(Qt::CTRL | Qt::Key_I);
    connect(focusIpc, &QAction::triggered, this, [this, ipcDock] {
        ipcDock->show();
        ipcDock->raise();
        const QList<int> selected = m_table->selectedProcesses();
        m_console->setTarget(selected.size() == 1 ? selected.first() : -1);
        m_console->focusInput();
    });
}

void MainWindow::createStatusBar()
{
    m_runningLabel = new QLabel(this);
    m_runningLabel->setObjectName(u"statusRunning"_s);
    m_ipcLabel = new QLabel(this);
    m_ipcLabel->setObjectName(u"statusIpc"_s);
    m_logLabel = new QLabel(this);
    m_logLabel->setObjectName(u"statusLog"_s);
    m_tokenLabel = new QLabel(this);
    m_tokenLabel->setObjectName(u"statusToken"_s);
    m_budgetLabel = new QLabel(this);
    m_budgetLabel->setObjectName(u"statusBudget"_s);
    statusBar()->addPermanentWidget(m_runningLabel);
    statusBar()->addPermanentWidget(m_tokenLabel);
    statusBar()->addPermanentWidget(m_budgetLabel);
    statusBar()->addPermanentWidget(m_ipcLabel);
    statusBar()->addPermanentWidget(m_logLabel);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    if (!restoreState(settings.value(u"window/state"_s).toByteArray())) {
        // First run: the logs get the room, the IPC console a strip at the bottom.
        if (auto *ipcDock = findChild<QDockWidget *>(u"ipcDock"_s))
            resizeDocks({ipcDock}, {fontMetrics().height() * 12}, Qt::Vertical);
        if (auto *profileDock = findChild<QDockWidget *>(u"profileDock"_s))
            resizeDocks({profileDock}, {fontMetrics().horizontalAdvance(u'M') * 40}, Qt::Horizontal);
        // Details start hidden: the table and logs need the width on a laptop screen.
        if (auto *detailsDock = findChild<QDockWidget *>(u"detailsDock"_s))
            detailsDock->hide();
    }
    if (auto *splitter = findChild<QSplitter *>(u"centralSplitter"_s))
        splitter->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    m_table->horizontalHeader()->restoreState(settings.value(u"window/tableHeader"_s).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    if (auto *splitter = findChild<QSplitter *>(u"centralSplitter"_s))
        settings.setValue(u"window/splitter"_s, splitter->saveState());
    settings.setValue(u"window/tableHeader"_s, m_table->horizontalHeader()->saveState());
    if (!m_profilePath.isEmpty())
        settings.setValue(u"lastProfile"_s, m_profilePath);
}

bool MainWindow::openProfile(const QString &path)
{
    if (m_engine->isBusy()) {
        QMessageBox::information(this, tr("Processes are running"),
                                 tr("Stop the running processes before opening another profile."));
        return false;
    }
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(path, &errors);
    if (!errors.isEmpty()) {
        // Structural problems (bad JSON, unknown keys, wrong types): nothing sensible to show.
        QStringList lines;
        for (const ProfileError &e : std::as_const(errors))
            lines << e.toString();
        QMessageBox box(QMessageBox::Warning, tr("Cannot open profile"),
                        tr("%1 cannot be opened:").arg(QDir::toNativeSeparators(path)), QMessageBox::Ok, this);
        box.setInformativeText(lines.join(u'\n'));
        box.exec();
        return false;
    }
    m_editor->setProfile(profile);
    m_engine->setProfile(m_editor->profile());
    m_profilePath = QFileInfo(path).absoluteFilePath();
    // A value outside what its field accepts (port 0, a negative time) is brought into range by
    // the form: say which, and count it as an unsaved change rather than losing it silently.
    const QJsonObject loaded = profile.toJson();
    const QJsonObject shown = m_editor->profile().toJson();
    QStringList adjusted;
    for (const QString &key : Profile::keys()) {
        if (loaded.value(key) != shown.value(key))
            adjusted << key;
    }
    m_modified = !adjusted.isEmpty();
    if (m_modified)
        showNotice(tr("values out of range were adjusted: %1").arg(adjusted.join(u", "_s)));
    m_recent->add(m_profilePath);
    QSettings().setValue(u"lastProfile"_s, m_profilePath);
    m_tokens->load(m_profilePath);
    updateTitle();
    updateActions();
    updateStatus();
    return true;
}

void MainWindow::newProfile()
{
    if (m_engine->isBusy() || !maybeSave())
        return;
    Profile profile;
    profile.baseDirectory = QDir::homePath();
    m_editor->setProfile(profile);
    m_engine->setProfile(profile);
    m_profilePath.clear();
    m_modified = false;
    m_tokens->load(QString());
    updateTitle();
    updateActions();
}

void MainWindow::onProfileEdited()
{
    m_modified = true;
    // The table shows the plan being edited; the engine refuses while processes run (the editor
    // is locked then anyway).
    if (!m_engine->isBusy())
        m_engine->setProfile(m_editor->profile());
    updateTitle();
    updateActions();
}

bool MainWindow::save()
{
    return m_profilePath.isEmpty() ? saveAs() : saveTo(m_profilePath);
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save Profile"),
                                                m_profilePath.isEmpty() ? QDir::homePath() + u"/bot.json"_s : m_profilePath,
                                                tr("Profiles (*.json)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(u".json"_s, Qt::CaseInsensitive))
        path += u".json"_s;
    return saveTo(path);
}

bool MainWindow::saveTo(const QString &path)
{
    Profile profile = m_editor->profile();
    // Relative paths stay relative to where the profile lives.
    QString error;
    if (!profile.save(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save profile"), error);
        return false;
    }
    const QString saved = QFileInfo(path).absoluteFilePath();
    if (saved != m_profilePath)
        m_tokens->load(saved); // the token is kept per profile file
    m_profilePath = saved;
    m_modified = false;
    m_recent->add(m_profilePath);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_profilePath)), 5000);
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_modified)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("The profile has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::startAll()
{
    if (!m_engine->isBusy())
        m_engine->setProfile(m_editor->profile()); // a no-op when the edits are already applied
    QString error;
    if (!m_engine->startAll(&error))
        QMessageBox::warning(this, tr("Cannot start"), error);
}

void MainWindow::startSelected()
{
    for (int process : m_table->selectedProcesses()) {
        QString error;
        if (!m_engine->startProcess(process, &error)) {
            QMessageBox::warning(this, tr("Cannot start"), error);
            return;
        }
    }
}

void MainWindow::forSelected(void (ShardEngine::*action)(int))
{
    for (int process : m_table->selectedProcesses())
        (m_engine->*action)(process);
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
    const bool selected = !m_table->selectedProcesses().isEmpty();
    m_startAction->setEnabled(valid && selected);
    m_stopAction->setEnabled(selected && busy);
    m_restartAction->setEnabled(valid && selected);
    m_openLogAction->setEnabled(selected);
    m_resumeAction->setEnabled(run.autoRestartsPaused);
    m_newAction->setEnabled(!busy);
    m_openAction->setEnabled(!busy);
    m_recent->setEnabled(!busy);
}

void MainWindow::updateStatus()
{
    const RunStatus run = m_engine->status();
    m_runningLabel->setText(tr("%1 of %2 running").arg(run.running).arg(m_engine->processCount()));
    const QString ipc = run.ipcAddress;
    m_ipcLabel->setText(ipc.isEmpty() ? tr("IPC: off")
                                      : tr("IPC: %1, %n connection(s)", nullptr, run.ipcConnections).arg(ipc));
    const QString log = run.logFile;
    if (log.isEmpty()) {
        m_logLabel->setText(tr("Log: none"));
        m_logLabel->setStyleSheet(QString());
    } else if (run.logFileFailing) {
        m_logLabel->setText(tr("Log: %1 (cannot write)").arg(QFileInfo(log).fileName()));
        m_logLabel->setStyleSheet(u"color: #d02b2b; font-weight: bold"_s);
    } else {
        m_logLabel->setText(tr("Log: %1%2").arg(QFileInfo(log).fileName(),
                                                run.sessionOpen ? tr(" (writing)") : QString()));
        m_logLabel->setStyleSheet(QString());
    }
    m_logLabel->setToolTip(QDir::toNativeSeparators(log));

    const int budget = run.identifyBudget;
    m_budgetLabel->setVisible(budget >= 0);
    m_budgetLabel->setText(tr("Identifies left: %1 of %2").arg(budget).arg(m_engine->gatewayInfo().sessionTotal));
    m_budgetLabel->setStyleSheet(run.autoRestartsPaused ? u"color: #d02b2b; font-weight: bold"_s : QString());
    m_budgetLabel->setToolTip(run.autoRestartsPaused
                                  ? tr("Automatic restarts are paused: the day's session starts are running low.")
                                  : tr("Session starts (identifies) left today; automatic restarts pause under %1.")
                                        .arg(run.identifyThreshold));
}

void MainWindow::updateTokenStatus()
{
    const TokenStore::Status status = m_tokens->status();
    m_tokenLabel->setText(tr("Token: %1").arg(TokenStore::statusText(status)));
    m_tokenLabel->setToolTip(m_tokens->message());
    m_tokenLabel->setStyleSheet(status == TokenStore::Status::Unavailable || status == TokenStore::Status::Error
                                    ? u"color: #d02b2b"_s
                                    : QString());
}

void MainWindow::showTokenDialog()
{
    if (m_profilePath.isEmpty()) {
        QMessageBox::information(this, tr("Save the profile first"),
                                 tr("The token is kept in the keychain per profile file: save the profile first."));
        return;
    }
    TokenDialog dialog(m_tokens, this);
    dialog.exec();
}

void MainWindow::fetchGateway()
{
    if (!m_engine->hasToken()) {
        m_editor->setGatewayMessage(tr("Set the bot token first (File > Set Token…)."));
        return;
    }
    m_editor->setGatewayMessage(tr("Asking Discord…"));
    m_engine->fetchGateway();
}

void MainWindow::updateTitle()
{
    const QString name = m_profilePath.isEmpty() ? tr("Untitled profile") : QFileInfo(m_profilePath).fileName();
    setWindowTitle(u"%1[*] — Shard Manager"_s.arg(name));
    setWindowModified(m_modified);
}

void MainWindow::showNotice(const QString &text)
{
    statusBar()->showMessage(text, 10000);
    m_logs->allPane()->appendLines(u"[manager] "_s, false, {text});
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Shard Manager"),
                       tr("<h3>Shard Manager %1</h3>"
                          "<p>Runs a Discord bot as several processes, each owning a range of gateway "
                          "shards, and steers them from one window.</p>"
                          "<p>Built with Qt %2, running on Qt %3.</p>")
                           .arg(QStringLiteral(SHARDMANAGER_VERSION), QStringLiteral(QT_VERSION_STR),
                                QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_engine->isBusy()) {
        if (!m_quitAfterStop) {
            const auto answer = QMessageBox::question(
                this, tr("Processes are running"),
                tr("%n process(es) are running. Stop them and quit?", nullptr, m_engine->status().running),
                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
            if (answer != QMessageBox::Yes) {
                event->ignore();
                return;
            }
            if (!maybeSave()) {
                event->ignore();
                return;
            }
            m_quitAfterStop = true;
            statusBar()->showMessage(tr("Stopping all processes before quitting…"));
        }
        // Asked again while stopping, stopAll kills: no waiting for stopTimeout.
        m_engine->stopAll();
        if (m_engine->isBusy()) {
            event->ignore();
            return;
        }
    } else if (!m_quitAfterStop && !maybeSave()) {
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}
