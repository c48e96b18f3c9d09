#include "traynotifier.h"

#include "appicon.h"
#include "engine/abstractengine.h"
#include "text/exittext.h"

#include <QMenu>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

TrayNotifier::TrayNotifier(AbstractEngine *engine, QMenu *menu, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit activated();
    });
    connect(engine, &AbstractEngine::processStateChanged, this,
            [this](int process, ProcessState state) {
        update();
        if (state == ProcessState::CrashLoop)
            m_tray->showMessage(
                tr("Process %1 is in a crash loop").arg(process),
                tr("It crashed more than %1 times in %2 s. Automatic restarts have stopped.")
                    .arg(m_engine->profile().maxRestarts)
                    .arg(m_engine->profile().restartWindow / 1000),
                QSystemTrayIcon::Critical);
    });
    connect(engine, &AbstractEngine::processExited, this, &TrayNotifier::onExited);
    connect(engine, &AbstractEngine::processesRebuilt, this, &TrayNotifier::update);
    update();
    m_tray->show();
}

void TrayNotifier::onExited(int process, const ExitInfo &info)
{
    if (info.requested)
        return;
    m_tray->showMessage(tr("Process %1 exited").arg(process), ExitText::outcome(info),
                        QSystemTrayIcon::Warning);
}

void TrayNotifier::update()
{
    int running = 0, troubled = 0;
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ProcessState s = m_engine->process(i)->state();
        running += s == ProcessState::Running ? 1 : 0;
        troubled += (s == ProcessState::CrashLoop || s == ProcessState::Restarting
                     || s == ProcessState::Exited)
            ? 1
            : 0;
    }
    const AppIcon::Status status = troubled > 0 ? AppIcon::Trouble
        : running > 0                           ? AppIcon::Running
                                                : AppIcon::Idle;
    m_tray->setIcon(AppIcon::withStatus(status));
    m_tray->setToolTip(tr("Shard Manager: %1 of %2 processes running%3")
                           .arg(running)
                           .arg(m_engine->processCount())
                           .arg(troubled > 0 ? tr(", %1 in trouble").arg(troubled) : QString()));
}

void TrayNotifier::notify(const QString &title, const QString &text)
{
    if (m_tray)
        m_tray->showMessage(title, text, QSystemTrayIcon::Information);
}
