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
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

#include <algorithm>

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
    // First run: 1280×820, or nine tenths of a smaller screen (a kept size replaces it later).
    const QSize preferred(1280, 820);
    resize(screen() ? preferred.boundedTo(screen()->availableGeometry().size() * 0.9) : preferred);

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
        // First run: the logs get the room, the IPC console a strip at the bottom (a quarter of a
        // small screen at most), the profile form its width with labels beside the fields.
        if (auto *ipcDock = findChild<QDockWidget *>(u"ipcDock"_s))
            resizeDocks({ipcDock}, {std::min(fontMetrics().height() * 12, height() / 4)},
                        Qt::Vertical);
        if (auto *profileDock = findChild<QDockWidget *>(u"profileDock"_s))
            resizeDocks({profileDock},
                        {std::max(fontMetrics().horizontalAdvance(u'M') * 40,
                                  m_editor->sideBySideWidth()
                                      + 2 * style()->pixelMetric(QStyle::PM_DockWidgetFrameWidth))},
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
