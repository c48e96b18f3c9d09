#include "servicecontrols.h"

#include "diagnostics.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
constexpr auto kCloseChoiceKey = "window/closeWhileRunning"; // "keep" or "stop"
} // namespace

ServiceControls::ServiceControls(ServiceLink *link, RemoteEngine *engine, QWidget *window,
                                 QStatusBar *bar, QWidget *content)
    : QObject(window)
    , m_link(link)
    , m_engine(engine)
    , m_window(window)
    , m_content(content)
    , m_label(new QLabel(bar))
{
    m_label->setObjectName(u"statusService"_s);
    bar->addPermanentWidget(m_label);
    connect(link, &ServiceLink::stateChanged, this, &ServiceControls::update);
    connect(link, &ServiceLink::message, this, &ServiceControls::notice);
    connect(engine, &RemoteEngine::serviceNeeded, this, [this] {
        QString error;
        if (!m_link->startService(&error))
            QMessageBox::warning(m_window, tr("Cannot start"), error);
    });
    update();
}

void ServiceControls::update()
{
    m_label->setText(m_link->describe());
    // Lost: the last state stays in view, greyed, until the service is back.
    m_content->setEnabled(m_link->state() != ServiceLink::State::Lost);
}

void ServiceControls::addToMenu(QMenu *file)
{
    QAction *attach = new QAction(tr("Attach to &Remote…"), this);
    attach->setObjectName(u"attachRemoteAction"_s);
    connect(attach, &QAction::triggered, this, &ServiceControls::askAttachRemote);
    m_servicesMenu = new QMenu(tr("Running &Services"), m_window);
    m_servicesMenu->setObjectName(u"servicesMenu"_s);
    connect(m_servicesMenu, &QMenu::aboutToShow, this, &ServiceControls::fillServicesMenu);
    // Before the first separator's group ends: after Open Recent.
    const QList<QAction *> actions = file->actions();
    QAction *before = actions.size() > 3 ? actions.at(3) : nullptr;
    file->insertMenu(before, m_servicesMenu);
    file->insertAction(before, attach);
}

void ServiceControls::fillServicesMenu()
{
    m_servicesMenu->clear();
    const auto services = ServiceLink::runningServices();
    if (services.isEmpty()) {
        m_servicesMenu->addAction(tr("No service runs"))->setEnabled(false);
        return;
    }
    for (const auto &[socket, profile] : services) {
        QAction *action = m_servicesMenu->addAction(QDir::toNativeSeparators(profile));
        connect(action, &QAction::triggered, this,
                [this, profile] { emit openProfileRequested(profile); });
    }
}

QStringList ServiceControls::sshCommand(const QString &address, QString *error)
{
    const QUrl url(address, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"ssh"_s || url.host().isEmpty()
        || url.path().size() < 2) {
        *error = tr("not an address of the form ssh://[user@]host[:port]/path/to/profile.json: %1")
                     .arg(address);
        return {};
    }
    QStringList command {u"ssh"_s};
    if (url.port() > 0)
        command << u"-p"_s << QString::number(url.port());
    // The user's own ssh: its config, keys and agent. No password is asked through us, and the
    // far side's shard-manager is found on its PATH.
    command << u"-o"_s << u"BatchMode=yes"_s;
    command << (url.userName().isEmpty() ? url.host() : url.userName() + u'@' + url.host());
    command << u"shard-manager"_s << u"--control"_s << url.path();
    return command;
}

bool ServiceControls::attachRemote(const QString &address, const QString &command, QString *error)
{
    QStringList argv;
    QString label;
    if (!address.isEmpty()) {
        argv = sshCommand(address, error);
        label = QUrl(address).host();
    } else {
        argv = QProcess::splitCommand(command);
        label = argv.isEmpty() ? QString() : QFileInfo(argv.first()).fileName();
        if (argv.isEmpty())
            *error = tr("the command to attach through is empty");
    }
    if (argv.isEmpty())
        return false;
    qCDebug(lcUi) << "attaching through" << argv.first();
    m_link->watchCommand(argv, label);
    return true;
}

void ServiceControls::askAttachRemote()
{
    bool ok = false;
    const QString last = QSettings().value(u"window/lastRemote"_s).toString();
    const QString text = QInputDialog::getText(
        m_window, tr("Attach to Remote"),
        tr("A service on another machine, reached with your own ssh:\n"
           "ssh://[user@]host[:port]/path/to/profile.json\n"
           "or any command that runs shard-manager --control PROFILE there\n"
           "(kubectl exec -i POD -- shard-manager --control /config/profile.json):"),
        QLineEdit::Normal, last, &ok);
    if (!ok || text.trimmed().isEmpty())
        return;
    QSettings().setValue(u"window/lastRemote"_s, text.trimmed());
    QString error;
    const bool isAddress = text.trimmed().startsWith(u"ssh://"_s);
    if (!attachRemote(isAddress ? text.trimmed() : QString(), isAddress ? QString() : text, &error))
        QMessageBox::warning(m_window, tr("Attach to Remote"), error);
}

ServiceControls::CloseChoice ServiceControls::askOnClose()
{
    QSettings settings;
    const QString remembered = settings.value(QLatin1String(kCloseChoiceKey)).toString();
    CloseChoice choice = CloseChoice::Cancel;
    if (remembered == u"keep"_s) {
        choice = CloseChoice::KeepRunning;
    } else if (remembered == u"stop"_s) {
        choice = CloseChoice::StopBot;
    } else {
        QMessageBox box(QMessageBox::Question, tr("The bot is running"),
                        tr("%n process(es) of the bot are running in their service.", nullptr,
                           m_engine->status().running),
                        QMessageBox::NoButton, m_window);
        box.setObjectName(u"closeQuestion"_s);
        box.setInformativeText(tr("The service goes on without the window; open the profile "
                                  "again (or use File > Running Services) to come back to it."));
        QPushButton *keep
            = box.addButton(tr("&Keep Running in the Background"), QMessageBox::AcceptRole);
        keep->setObjectName(u"keepRunningButton"_s);
        QPushButton *stop
            = box.addButton(tr("&Stop the Bot and Quit"), QMessageBox::DestructiveRole);
        stop->setObjectName(u"stopBotButton"_s);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(keep);
        auto *remember = new QCheckBox(tr("&Don't ask again"), &box);
        remember->setObjectName(u"dontAskAgain"_s);
        box.setCheckBox(remember);
        box.exec();
        if (box.clickedButton() == keep)
            choice = CloseChoice::KeepRunning;
        else if (box.clickedButton() == stop)
            choice = CloseChoice::StopBot;
        if (choice != CloseChoice::Cancel && remember->isChecked())
            settings.setValue(QLatin1String(kCloseChoiceKey),
                              choice == CloseChoice::KeepRunning ? u"keep"_s : u"stop"_s);
    }
    if (choice == CloseChoice::StopBot) {
        qCDebug(lcUi) << "closing: asking the service to stop the bot";
        m_engine->stopService();
    }
    return choice;
}
