// MainWindow as a client of the service that runs the bot (ServiceControls does the talking).
#include "mainwindow.h"

#include "profileeditor.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"
#include "servicecontrols.h"
#include "traynotifier.h"

#include <QCloseEvent>
#include <QInputDialog>
#include <QStatusBar>

using namespace Qt::StringLiterals;

void MainWindow::setServiceLink(ServiceLink *link, RemoteEngine *engine)
{
    m_service = new ServiceControls(link, engine, this, statusBar(), centralWidget());
    m_service->addToMenu(m_fileMenu);
    connect(m_service, &ServiceControls::notice, this, &MainWindow::showNotice);
    connect(m_service, &ServiceControls::openProfileRequested, this, [this](const QString &path) {
        if (maybeSave())
            openProfile(path);
    });
    connect(link, &ServiceLink::stateChanged, this, [this] {
        updateActions();
        updateStatus();
    });
    // What the service runs is what the form shows (a remote one's profile has no file here).
    connect(engine, &RemoteEngine::processesRebuilt, this, [this, engine] {
        if (engine->isAttached() && !(m_editor->profile() == engine->profile())) {
            m_editor->setProfile(engine->profile());
            m_modified = false;
            updateTitle();
        }
    });
    if (!m_profilePath.isEmpty())
        link->watchLocal(m_profilePath);
}

void MainWindow::setRemoteToken()
{
    // The keychain here is not the server's: the token goes to the service, in its memory.
    bool ok = false;
    const QString token = QInputDialog::getText(
        this, tr("Set Token on the Service"),
        tr("The bot token, for the service on %1 (kept in its memory until it stops; give it "
           "to the service with --token-file to keep it across restarts):")
            .arg(m_service->link()->label()),
        QLineEdit::Password, QString(), &ok);
    if (ok && !token.trimmed().isEmpty())
        m_engine->setToken(token.trimmed());
}

void MainWindow::closeAsClient(QCloseEvent *event)
{
    if (!m_quitRequested && m_tray->isAvailable() && m_engine->isBusy()) {
        // A running bot's window closes to the tray, which stays while the service runs; Quit
        // (Ctrl+Q, the tray's menu) asks whether the bot goes on.
        hide();
        m_tray->notify(tr("Shard Manager is in the tray"),
                       tr("The bot keeps running. Quit from the tray's menu to close the window "
                          "for good."));
        event->ignore();
        return;
    }
    // The bot lives in its service: closing asks whether it goes on, never waits for it.
    if (!maybeSave()
        || (m_engine->isBusy()
            && m_service->askOnClose() == ServiceControls::CloseChoice::Cancel)) {
        event->ignore();
        return;
    }
    m_service->link()->stop();
    saveSettings();
    event->accept();
}
