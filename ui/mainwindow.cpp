#include "mainwindow.h"

#include "appicon.h"
#include "diagnostics.h"
#include "engine/abstractengine.h"
#include "ipcconsole.h"
#include "ipcmessagemodel.h"
#include "logpane.h"
#include "logtabs.h"
#include "managernotices.h"
#include "processchart.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "profileeditor.h"
#include "recentprofilesmenu.h"
#include "runstatusbar.h"
#include "secrets/tokenstore.h"
#include "service/servicelink.h"
#include "servicecontrols.h"
#include "tokendialog.h"
#include "traynotifier.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace {
// Long enough for the next digit of a number being typed, short enough to feel live.
constexpr int kApplyDelayMs = 300;
// The least the process table and the log panes keep beside the docks: the table's key columns
// (process, shards, state, gateway) and the start of a log line. The docks give way first.
constexpr int kMinCentreWidth = 480;
} // namespace

MainWindow::MainWindow(AbstractEngine *engine, SecretBackend *secrets, QWidget *parent)
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
    splitter->setMinimumWidth(kMinCentreWidth);
    setCentralWidget(splitter);

    createActions();
    createMenus();
    createDocks();
    createViews();
    createStatusBar();

    m_applyTimer.setSingleShot(true);
    m_applyTimer.setInterval(kApplyDelayMs);
    connect(&m_applyTimer, &QTimer::timeout, this, &MainWindow::applyEdits);

    connect(m_editor, &ProfileEditor::profileEdited, this, &MainWindow::onProfileEdited);
    connect(m_editor, &ProfileEditor::validityChanged, this, &MainWindow::updateActions);
    connect(m_table, &ProcessTableView::openLogRequested, m_logs, &LogTabs::openProcess);
    connect(m_table, &ProcessTableView::selectionChangedProcesses, this,
            &MainWindow::updateActions);
    connect(engine, &AbstractEngine::processStateChanged, this, [this] {
        updateActions();
        updateStatus();
    });
    connect(engine, &AbstractEngine::sessionOpened, this, &MainWindow::updateStatus);
    // Another plan: "n of N running" counts the new processes.
    connect(engine, &AbstractEngine::processesRebuilt, this, &MainWindow::updateStatus);
    connect(engine, &AbstractEngine::ipcConnectionsChanged, this, &MainWindow::updateStatus);
    connect(engine, &AbstractEngine::logFileError, this, [this](const QString &message) {
        updateStatus();
        showNotice(message);
    });
    connect(engine, &AbstractEngine::notice, this, [this](const QString &text) {
        showNotice(text);
        // A rolling restart ends with a notice and no change of state: Rolling Restart can be
        // asked again.
        updateActions();
        updateStatus();
    });
    connect(new ManagerNotices(engine, this), &ManagerNotices::notice, this,
            &MainWindow::showNotice);
    connect(m_tokens, &TokenStore::tokenChanged, engine, &AbstractEngine::setToken);
    connect(m_tokens, &TokenStore::statusChanged, this, &MainWindow::updateTokenStatus);
    connect(m_editor, &ProfileEditor::fetchGatewayRequested, this, &MainWindow::fetchGateway);
    connect(engine, &AbstractEngine::gatewayFetched, this, [this](const GatewayInfo &info) {
        m_editor->setGatewayInfo(info);
        updateStatus();
    });
    connect(engine, &AbstractEngine::gatewayFailed, this, [this](const QString &message) {
        m_editor->setGatewayMessage(message);
        showNotice(AbstractEngine::gatewayFailureText(message));
    });
    connect(engine, &AbstractEngine::startFailed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Cannot start"), message);
    });
    connect(engine, &AbstractEngine::autoRestartsPausedChanged, this,
            [this](bool paused, const QString &reason) {
        updateActions();
        updateStatus();
        if (paused) {
            // Not modal: the processes (and the window) go on while the user reads it.
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Automatic restarts paused"),
                                        reason, QMessageBox::Ok, this);
            box->setObjectName(u"pausedMessage"_s);
            box->setInformativeText(
                tr("Use Processes > Resume Automatic Restarts when you have looked into it."));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    connect(engine, &AbstractEngine::allStopped, this, [this] {
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
    m_status = new RunStatusBar(m_engine, m_tokens, statusBar(), this);
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
            resizeDocks({profileDock}, {fontMetrics().horizontalAdvance(u'M') * 40},
                        Qt::Horizontal);
        // Details start hidden: the table and logs need the width on a laptop screen.
        if (auto *detailsDock = findChild<QDockWidget *>(u"detailsDock"_s))
            detailsDock->hide();
    }
    if (auto *splitter = findChild<QSplitter *>(u"centralSplitter"_s))
        splitter->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    m_table->horizontalHeader()->restoreState(
        settings.value(u"window/tableHeader"_s).toByteArray());
    // Widths kept by an earlier version cut "restarting in 60 s".
    m_table->fitTextColumns();
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
    // Attached, the bot runs in its service: another profile is just another service to show.
    if (!m_service && m_engine->isBusy()) {
        QMessageBox::information(this, tr("Processes are running"),
                                 tr("Stop the running processes before opening another profile."));
        return false;
    }
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(path, &errors);
    // A wrong type or an unknown key is shown in the form, at its field, to be fixed there; only
    // a file that is no profile at all (bad JSON, not an object) has nothing sensible to show.
    // The editor adds validate()'s problems as ProfileCheck::afterLoad does for --check.
    QList<ProfileError> loadErrors = errors;
    loadErrors.removeIf([](const ProfileError &e) { return e.key.isEmpty(); });
    if (loadErrors.size() < errors.size())
        errors.removeIf([](const ProfileError &e) { return !e.key.isEmpty(); });
    else
        errors.clear();
    if (!errors.isEmpty()) {
        QStringList lines;
        for (const ProfileError &e : std::as_const(errors))
            lines << e.toString();
        QMessageBox box(QMessageBox::Warning, tr("Cannot open profile"),
                        tr("%1 cannot be opened:").arg(QDir::toNativeSeparators(path)),
                        QMessageBox::Ok, this);
        qCDebug(lcProfile) << path << "refused:" << errors.size() << "problems";
        box.setInformativeText(lines.join(u'\n'));
        box.exec();
        return false;
    }
    resetRunViews();
    if (m_service)
        m_service->link()->watchLocal(path); // detaches first: the new plan is shown at once
    m_editor->setProfile(profile, loadErrors);
    m_engine->setProfile(m_editor->profile());
    m_profilePath = QFileInfo(path).absoluteFilePath();
    qCDebug(lcProfile) << "opened" << m_profilePath << ":" << m_engine->processCount()
                       << "processes";
    // A value outside what its field accepts (port 0, a negative time) is brought into range by
    // the form: say which, and count it as an unsaved change rather than losing it silently.
    const Profile shown = m_editor->profile();
    QStringList adjusted;
    for (const ProfileKey &key : ProfileSchema::keys()) {
        if (key.value(profile) != key.value(shown))
            adjusted << QString::fromLatin1(key.name);
    }
    m_modified = !adjusted.isEmpty();
    if (m_modified) {
        showNotice(tr("values out of range were adjusted: %1").arg(adjusted.join(u", "_s)));
        // The file's value is still wrong: its problem stays at the field until the field is
        // edited or the profile saved.
        for (const ProfileError &problem : profile.validate()) {
            if (adjusted.contains(problem.key) && !loadErrors.contains(problem))
                loadErrors.append(problem);
        }
        m_editor->setProfile(profile, loadErrors);
    }
    if (!m_editor->isValid())
        showNotice(tr("%1 has %n problem(s), shown at their fields", nullptr,
                      int(m_editor->errors().size()))
                       .arg(QFileInfo(path).fileName()));
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
    if ((!m_service && m_engine->isBusy()) || !maybeSave())
        return;
    if (m_service)
        m_service->link()->stop(); // the service goes on; this window shows a new profile
    resetRunViews();
    Profile profile;
    profile.baseDirectory = QDir::homePath();
    m_editor->setProfile(profile);
    m_engine->setProfile(profile);
    m_profilePath.clear();
    m_modified = false;
    m_tokens->load(QString());
    updateTitle();
    updateActions();
    updateStatus();
}

void MainWindow::onProfileEdited()
{
    m_modified = true;
    // The table shows the plan being edited, once the typing pauses: each digit of 100000 would
    // otherwise rebuild every process on the way.
    m_applyTimer.start();
    updateTitle();
    updateActions();
}

void MainWindow::applyEdits()
{
    m_applyTimer.stop();
    // The engine refuses while processes run (the editor is locked then anyway).
    if (!m_engine->isBusy())
        m_engine->setProfile(m_editor->profile());
    updateActions();
    updateStatus();
}

void MainWindow::resetRunViews()
{
    m_applyTimer.stop();
    m_ipcModel->clear();
    LogPane *all = m_logs->allPane();
    all->clear();
    // A filter left from the other profile would hide this one's output.
    if (auto *filter = all->findChild<QLineEdit *>(u"filterEdit"_s))
        filter->clear();
}

bool MainWindow::save()
{
    return m_profilePath.isEmpty() ? saveAs() : saveTo(m_profilePath);
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Profile"),
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
    // A profile that does not validate cannot be started from its file: say so before writing.
    if (!m_editor->isValid()) {
        QStringList lines;
        for (const ProfileError &e : m_editor->errors())
            lines << e.toString();
        QMessageBox box(QMessageBox::Warning, tr("The profile has problems"),
                        tr("The profile has %n problem(s); saved as it is, it cannot be started "
                           "until they are fixed. Save anyway?",
                           nullptr, int(lines.size())),
                        QMessageBox::Save | QMessageBox::Cancel, this);
        box.setObjectName(u"saveInvalidQuestion"_s);
        box.setDefaultButton(QMessageBox::Cancel);
        box.setInformativeText(lines.join(u'\n'));
        if (box.exec() != QMessageBox::Save)
            return false;
    }
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
    m_editor->clearLoadErrors(); // the file holds what the form shows now
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
    // A service runs from the profile's file: what the form shows must be in it.
    if (m_service && m_service->link()->state() != ServiceLink::State::Attached
        && !m_service->link()->isRemote() && (m_modified || m_profilePath.isEmpty())) {
        const auto answer = QMessageBox::question(
            this, tr("Save the profile to start it"),
            tr("The bot runs in a service that reads the profile's file. Save the changes and "
               "start?"),
            QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Save);
        if (answer != QMessageBox::Save || !save())
            return;
    }
    if (!m_engine->isBusy())
        applyEdits(); // a no-op when the edits are already applied
    QString error;
    qCDebug(lcUi) << "Start All";
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

void MainWindow::forSelected(void (AbstractEngine::*action)(int))
{
    for (int process : m_table->selectedProcesses())
        (m_engine->*action)(process);
}

void MainWindow::updateStatus()
{
    m_status->update();
}

void MainWindow::updateTokenStatus()
{
    m_status->updateToken();
}

void MainWindow::showTokenDialog()
{
    if (m_service && m_service->link()->isRemote()) {
        setRemoteToken();
        return;
    }
    if (m_profilePath.isEmpty()) {
        QMessageBox::information(
            this, tr("Save the profile first"),
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
    const QString name
        = m_profilePath.isEmpty() ? tr("Untitled profile") : QFileInfo(m_profilePath).fileName();
    setWindowTitle(tr("%1[*] — Shard Manager").arg(name));
    setWindowModified(m_modified);
}

void MainWindow::showNotice(const QString &text)
{
    statusBar()->showMessage(text, 10000);
    m_logs->allPane()->appendNotice(tr("[manager] "), text);
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About Shard Manager"),
        tr("<h3>Shard Manager %1</h3>"
           "<p>Runs a Discord bot as several processes, each owning a range of gateway "
           "shards, and steers them from one window.</p>"
           "<p>Built with Qt %2, running on Qt %3.</p>")
            .arg(QStringLiteral(SHARDMANAGER_VERSION), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    leaveWelcome(); // the layout saved is the normal window's
    if (m_service) {
        closeAsClient(event);
        return;
    }
    if (m_engine->isBusy()) {
        if (!m_quitAfterStop) {
            const auto answer = QMessageBox::question(
                this, tr("Processes are running"),
                tr("%n process(es) are running. Stop them and quit?", nullptr,
                   m_engine->status().running),
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
            qCDebug(lcUi) << "closing: stopping" << m_engine->status().running << "processes first";
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
