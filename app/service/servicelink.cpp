#include "service/servicelink.h"

#include "diagnostics.h"
#include "platform/detach.h"
#include "service/controlpaths.h"
#include "service/controlserver.h"
#include "service/remoteengine.h"
#include "text/units.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLocale>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace {
constexpr int kLocalPollMs = 1000; // a local profile with no service: is there one now?
constexpr int kStartPollMs = 100; // a service just started: is it listening yet?
constexpr int kStartTimeoutMs = 15000;
constexpr qsizetype kErrorTail = 2048;
} // namespace

ServiceLink::ServiceLink(RemoteEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServiceLink::tryConnect);
    connect(engine, &RemoteEngine::attachedChanged, this, [this](bool attached) {
        if (attached) {
            m_attempt = 0;
            m_startedPid = -1;
            setState(State::Attached);
        }
    });
}

ServiceLink::~ServiceLink()
{
    stop();
}

int ServiceLink::retryDelayMs(int attempt)
{
    return std::min(30000, 500 << std::min(attempt, 6));
}

void ServiceLink::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ServiceLink::watchLocal(const QString &profilePath)
{
    stop();
    m_profilePath = QFileInfo(profilePath).absoluteFilePath();
    m_label.clear();
    tryConnect();
}

void ServiceLink::watchCommand(const QStringList &command, const QString &label)
{
    stop();
    m_command = command;
    m_label = label;
    tryConnect();
}

void ServiceLink::stop()
{
    m_retryTimer.stop();
    m_engine->detach();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->flush(); // a last command (stopService) leaves before the link goes
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_process) {
        m_process->disconnect(this);
        // End of input ends the far side's --control; ssh follows. The service goes on.
        m_process->waitForBytesWritten(1000);
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(2000))
            m_process->kill();
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_command.clear();
    m_profilePath.clear();
    m_startedPid = -1;
    setState(State::Idle);
}

void ServiceLink::tryConnect()
{
    if (!m_command.isEmpty())
        connectCommand();
    else if (!m_profilePath.isEmpty())
        connectLocal();
}

void ServiceLink::connectLocal()
{
    if (m_state == State::Starting) {
        if (!Detach::isAlive(m_startedPid)) {
            m_startedPid = -1;
            setState(State::NoService);
            emit message(tr("the service ended as it started: %1").arg(serviceLogTail()));
            return;
        }
        if (m_startedFor.elapsed() > kStartTimeoutMs) {
            m_startedPid = -1;
            setState(State::NoService);
            emit message(tr("the service did not answer within %1; its log: %2")
                             .arg(Units::duration(kStartTimeoutMs),
                                  ControlPaths::serviceLogFor(m_profilePath)));
            return;
        }
    }
    const QString path = ControlPaths::socketFor(m_profilePath);
    if (!QFileInfo::exists(path)) {
        if (m_state != State::Starting)
            setState(State::NoService);
        m_retryTimer.start(m_state == State::Starting ? kStartPollMs : kLocalPollMs);
        return;
    }
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, [this] {
        if (m_state != State::Starting)
            setState(State::Connecting);
        m_engine->attach(m_socket);
    });
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this] {
        // Refused: a socket file that a killed service left behind, or one starting up.
        if (m_socket->state() == QLocalSocket::ConnectedState)
            return;
        m_socket->deleteLater();
        m_socket = nullptr;
        if (m_state != State::Starting)
            setState(State::NoService);
        m_retryTimer.start(m_state == State::Starting ? kStartPollMs : kLocalPollMs);
    });
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        if (m_engine->isAttached())
            onLinkLost(tr("the service (pid %1) ended").arg(m_engine->servicePid()));
    });
    m_socket->connectToServer(path);
}

void ServiceLink::connectCommand()
{
    setState(m_attempt == 0 ? State::Connecting : State::Lost);
    m_processErrors.clear();
    m_process = new QProcess(this);
    m_process->setProgram(m_command.first());
    m_process->setArguments(m_command.mid(1));
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_processErrors += m_process->readAllStandardError();
        if (m_processErrors.size() > kErrorTail)
            m_processErrors = m_processErrors.right(kErrorTail);
    });
    connect(m_process, &QProcess::started, this, [this] { m_engine->attach(m_process); });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        QString why = QString::fromLocal8Bit(m_processErrors).trimmed();
        if (why.isEmpty())
            why = tr("exit code %1").arg(code);
        onLinkLost(tr("%1 ended: %2").arg(m_label, why.section(u'\n', -3)));
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onLinkLost(tr("cannot run %1: %2").arg(m_command.first(), m_process->errorString()));
    });
    qCDebug(lcControl) << "attaching through" << m_command.first();
    m_process->start();
}

void ServiceLink::onLinkLost(const QString &why)
{
    const bool wasAttached = m_engine->isAttached();
    m_engine->detach();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    qCInfo(lcControl).noquote() << "link lost:" << why;
    if (m_command.isEmpty()) {
        // Local: a service that ended leaves nothing to retry; a new one is found when it comes.
        setState(State::NoService);
        emit message(why);
        m_retryTimer.start(kLocalPollMs);
        return;
    }
    const int delay = retryDelayMs(m_attempt++);
    setState(State::Lost);
    emit message(
        wasAttached
            ? tr("lost the service: %1; trying again in %2").arg(why, Units::duration(delay))
            : tr("%1; trying again in %2").arg(why, Units::duration(delay)));
    m_retryTimer.start(delay);
}

bool ServiceLink::startService(QString *error)
{
    if (m_profilePath.isEmpty() || !m_command.isEmpty()) {
        *error = tr("a service is started for a profile on this computer only");
        return false;
    }
    // One may have come since we last looked (systemd, a terminal, another window): attach.
    {
        QLocalSocket probe;
        probe.connectToServer(ControlPaths::socketFor(m_profilePath));
        if (probe.waitForConnected(500)) {
            probe.abort();
            m_retryTimer.stop();
            tryConnect();
            return true;
        }
    }
    const QString log = ControlPaths::serviceLogFor(m_profilePath);
    QDir().mkpath(QFileInfo(log).absolutePath());
    const QString program
        = m_program.isEmpty() ? QCoreApplication::applicationFilePath() : m_program;
    QString why;
    const qint64 pid = Detach::spawn(program, {u"--headless"_s, u"--no-echo"_s, m_profilePath},
                                     QFileInfo(m_profilePath).absolutePath(), log, &why);
    if (pid < 0) {
        *error = tr("cannot start the service: %1").arg(why);
        return false;
    }
    qCInfo(lcControl) << "started the service, pid" << pid << ", its log:" << log;
    m_startedPid = pid;
    m_startedFor.start();
    setState(State::Starting);
    m_retryTimer.start(kStartPollMs);
    return true;
}

QString ServiceLink::serviceLogTail() const
{
    QFile file(ControlPaths::serviceLogFor(m_profilePath));
    if (!file.open(QIODevice::ReadOnly))
        return tr("no log");
    if (file.size() > kErrorTail)
        file.seek(file.size() - kErrorTail);
    const QStringList lines = QString::fromLocal8Bit(file.readAll()).trimmed().split(u'\n');
    return lines.mid(std::max<qsizetype>(0, lines.size() - 3)).join(u' ');
}

QString ServiceLink::describe() const
{
    const QString where = m_label.isEmpty() ? QString() : tr(" on %1").arg(m_label);
    switch (m_state) {
    case State::Idle: return QString();
    case State::NoService: return tr("no service runs this profile");
    case State::Starting: return tr("starting the service…");
    case State::Connecting: return tr("connecting%1…").arg(where);
    case State::Attached:
        return tr("attached%1: running since %2 (pid %3)")
            .arg(where,
                 QLocale().toString(m_engine->serviceSince().toLocalTime(), QLocale::ShortFormat))
            .arg(m_engine->servicePid());
    case State::Lost: return tr("lost the service%1: trying again").arg(where);
    }
    return QString();
}

QList<std::pair<QString, QString>> ServiceLink::runningServices()
{
    QList<std::pair<QString, QString>> services;
    const QDir folder(ControlPaths::directory());
    for (const QString &name : folder.entryList({u"*.sock"_s}, QDir::System, QDir::Name)) {
        // A socket a killed service left behind does not answer.
        const QString path = folder.filePath(name);
        const QJsonObject hello = ControlServer::askHello(path, 300, 500);
        if (hello.value(u"type"_s) == u"hello"_s)
            services.append({path, hello.value(u"profile"_s).toString()});
    }
    return services;
}
