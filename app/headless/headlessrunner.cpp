#include "headless/headlessrunner.h"

#include "diagnostics.h"
#include "engine/shardengine.h"
#include "headless/clusteroptions.h"
#include "headless/eventstream.h"
#include "headless/tokensource.h"
#include "ipc/ipcconnection.h"
#include "ipc/ipcserver.h"
#include "output/linesplitter.h"
#include "platform/processcontrol.h"
#include "platform/signalwatcher.h"
#include "platform/standardstreams.h"
#include "platform/stdinreader.h"
#include "process/resourcemonitor.h"
#include "profile/profilecheck.h"
#include "secrets/tokenstore.h"
#include "service/controlserver.h"
#include "service/engineevents.h"
#include "service/metricsserver.h"
#include "text/exittext.h"
#include "text/units.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>

#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
// IPC messages shown as status lines in a second; --events json has every one.
constexpr int kIpcLinesPerSecond = 50;

void printErr(const QString &text)
{
    const QByteArray bytes = (text + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

// --check runs without a HeadlessRunner, so without its tr().
QString checkText(const char *text)
{
    return QCoreApplication::translate("checkProfile", text);
}
} // namespace

HeadlessRunner::HeadlessRunner(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_engine(new ShardEngine(this))
    , m_signals(new SignalWatcher(this))
    , m_engineEvents(new EngineEvents(m_engine, this))
    , m_stdinLines(std::make_unique<LineSplitter>())
{
    m_engine->setGuardian(m_options.guardian);
    m_engine->setEchoAllowed(m_options.echo);
    connect(m_signals, &SignalWatcher::terminationRequested, this, &HeadlessRunner::onTermination);
    if (m_options.jsonEvents) {
        StandardStreams::openOutput(&m_stdout);
        m_engine->setEchoAllowed(false);
        m_events = new EventStream(m_engineEvents, &m_stdout, this);
        m_events->setStatsInterval(m_options.statsIntervalMs);
        // Stats need samples at least as often as they are written.
        m_engine->setSampleInterval(
            std::min(EngineDefaults::kSampleIntervalMs, m_options.statsIntervalMs));
        return;
    }
    connect(m_engine, &ShardEngine::processStarted, this, [this](int i, qint64 pid) {
        const ShardRange &r = m_engine->process(i)->range();
        status(tr("process %1 (shards %2 to %3) started, pid %4")
                   .arg(i)
                   .arg(r.first)
                   .arg(r.last)
                   .arg(pid));
    });
    connect(m_engine, &ShardEngine::processExited, this, [this](int i, const ExitInfo &info) {
        const ShardRange &r = m_engine->process(i)->range();
        status((info.requested ? tr("process %1 (shards %2 to %3) stopped: %4")
                               : tr("process %1 (shards %2 to %3) exited: %4"))
                   .arg(i)
                   .arg(r.first)
                   .arg(r.last)
                   .arg(ExitText::outcome(info)));
    });
    connect(m_engine, &ShardEngine::processStateChanged, this, [this](int i, ProcessState state) {
        if (state != ProcessState::CrashLoop)
            return;
        const ExitInfo &exit = m_engine->process(i)->lastExit();
        if (exit.failedToStart)
            status(tr("process %1 cannot be started (%2): not restarting it (crash loop)")
                       .arg(i)
                       .arg(exit.error));
        else
            status(
                tr("process %1 crashed more than %2 times in %3 s: not restarting it (crash loop)")
                    .arg(i)
                    .arg(m_engine->profile().maxRestarts)
                    .arg(m_engine->profile().restartWindow / 1000));
    });
    connect(m_engine, &ShardEngine::notice, this, &HeadlessRunner::status);
    connect(m_engine, &ShardEngine::logFileError, this, &HeadlessRunner::status);
    connect(m_engine, &ShardEngine::gatewayFailed, this,
            [this](const QString &message) { status(ShardEngine::gatewayFailureText(message)); });
    m_ipcSecond.setSingleShot(true);
    m_ipcSecond.setInterval(1000);
    connect(&m_ipcSecond, &QTimer::timeout, this, &HeadlessRunner::reportHiddenIpc);
    connect(m_engine, &ShardEngine::ipcMessage, this,
            [this](int, int process, const QString &text) { onIpcMessage(process, text); });
}

void HeadlessRunner::onIpcMessage(int process, const QString &text)
{
    if (!m_ipcSecond.isActive())
        m_ipcSecond.start();
    if (m_ipcShown >= kIpcLinesPerSecond) {
        ++m_ipcHidden;
        return;
    }
    ++m_ipcShown;
    status(process >= 0 ? tr("IPC from process %1: %2").arg(process).arg(text)
                        : tr("IPC from an outside client: %1").arg(text));
}

void HeadlessRunner::reportHiddenIpc()
{
    m_ipcSecond.stop();
    m_ipcShown = 0;
    if (m_ipcHidden == 0)
        return;
    status(tr("%n more IPC message(s) in the last second not shown (--events json has them all)",
              nullptr, int(std::min<qint64>(m_ipcHidden, std::numeric_limits<int>::max()))));
    m_ipcHidden = 0;
}

HeadlessRunner::~HeadlessRunner()
{
    reportHiddenIpc(); // the last second's count, not lost with the run
    // While the stdout file (a member) still exists: events of the last turn are not lost.
    if (m_events)
        m_events->flush();
}

void HeadlessRunner::status(const QString &text)
{
    printErr(u"shard-manager: "_s + text);
}

int HeadlessRunner::start()
{
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(m_options.profilePath, &errors);
    // Validate before the engine builds anything: a broken profile of 40,000 processes must not
    // build them just to say what is wrong.
    if (errors.isEmpty())
        errors = profile.validate();
    m_engine->setSlice(m_options.slice);
    if (errors.isEmpty())
        m_engine->setProfile(profile, &errors);
    if (errors.isEmpty() && !m_options.slice.isWhole() && !profile.maxShardsAuto
        && m_engine->processCount() == 0)
        errors.append({u"shardsPerProcess"_s,
                       tr("slice %1 of %2 has no process: the plan has fewer processes than "
                          "slices (--cluster-size)")
                           .arg(m_options.slice.index)
                           .arg(m_options.slice.size)});
    if (!errors.isEmpty()) {
        qCDebug(lcProfile) << m_options.profilePath << "refused:" << errors.size() << "problems";
        for (const ProfileError &e : std::as_const(errors))
            printErr(m_options.profilePath + u": "_s + e.toString());
        return 2;
    }
    qCDebug(lcProfile) << "loaded" << m_options.profilePath << ":" << m_engine->processCount()
                       << "processes";
    if (!m_options.slice.isWhole() && !profile.maxShardsAuto)
        status(ClusterOptions::describe(
            ShardPlan::compute(profile.maxShards, profile.shardsPerProcess, profile.waitTime),
            m_options.slice));
    // One service per profile: its control socket says so to a second one (and to --status).
    m_control = new ControlServer(m_engine, m_engineEvents, m_options.profilePath, this);
    connect(m_control, &ControlServer::notice, this, [this](const QString &text) {
        m_engineEvents->post(u"notice"_s, -1, {{u"message"_s, text}});
        if (!m_options.jsonEvents)
            status(text);
    });
    connect(m_control, &ControlServer::stopServiceRequested, this, [this] {
        stopService(tr("asked over the control socket: stopping all processes and the service"));
    });
    if (QString error; !m_control->listen(&error)) {
        printErr(tr("shard-manager: %1").arg(error));
        return 1;
    }
    if (!m_options.metricsAddress.isEmpty()) {
        m_metrics = new MetricsServer(m_engine, this);
        if (QString error; !m_metrics->listen(m_options.metricsAddress, &error)) {
            printErr(tr("shard-manager: %1").arg(error));
            return 2;
        }
        status(tr("metrics at %1").arg(m_metrics->url()));
    }

    connect(m_engine, &ShardEngine::allStopped, this, [this] {
        if (m_terminations > 0)
            emit finished(0);
    });
    connect(m_engine, &ShardEngine::startFailed, this, [this](const QString &message) {
        printErr(tr("shard-manager: cannot start: %1").arg(message));
        emit finished(1);
    });
    connect(m_engine, &ShardEngine::autoRestartsPausedChanged, this,
            [this](bool paused, const QString &) {
        if (paused && !m_options.jsonEvents)
            status(tr("send SIGUSR1 (kill -USR1 %1) to resume automatic restarts")
                       .arg(QCoreApplication::applicationPid()));
    });
    connect(m_signals, &SignalWatcher::resumeRequested, m_engine, &ShardEngine::resumeAutoRestarts);
    if (!m_options.jsonEvents && !profile.silent) {
        m_summaryTimer.setInterval(60000);
        connect(&m_summaryTimer, &QTimer::timeout, this, &HeadlessRunner::printSummary);
        m_summaryTimer.start();
    }
    m_stdin = new StdinReader(this);
    connect(m_stdin, &StdinReader::received, this, &HeadlessRunner::onStdinData);
    // Back-pressure: stdin waits in its pipe while the children's sockets hold too much.
    connect(m_engine->ipcServer(), &IpcServer::backlogDrained, this, [this] {
        qCDebug(lcHeadless) << "IPC backlog drained: reading stdin again";
        m_stdin->setPaused(false);
    });
    connect(m_stdin, &StdinReader::ended, this, [this] {
        // End of input is not a stop request: a service manager may hand us /dev/null.
        qCDebug(lcHeadless) << "end of stdin: no more broadcasts from it, still running";
        if (m_stdinDropped > 0)
            reportDroppedLine();
    });

    if (!m_options.tokenVariable.isEmpty() || !m_options.tokenFile.isEmpty()) {
        // Out of our own environment, and out of the block /proc/<pid>/environ shows, or out of a
        // file: children get it only under the profile's tokenEnv.
        const TokenSource::Result source = m_options.tokenFile.isEmpty()
            ? TokenSource::fromEnvironment(m_options.tokenVariable)
            : TokenSource::fromFile(m_options.tokenFile);
        if (!source.error.isEmpty()) {
            printErr(u"shard-manager: "_s + source.error);
            return 2;
        }
        if (!source.warning.isEmpty())
            status(source.warning);
        qCDebug(lcHeadless) << "token taken from" << source.origin;
        m_engine->setToken(source.token);
        return startEngine();
    }
    // The keychain answers asynchronously (a desktop may ask to unlock it): start when it has.
    m_keychain = new KeychainBackend(this);
    m_tokens = new TokenStore(m_keychain, this);
    connect(m_tokens, &TokenStore::statusChanged, this, [this](TokenStore::Status status) {
        if (status == TokenStore::Status::Loading || m_started)
            return;
        m_keychainTimer.stop();
        qCDebug(lcHeadless) << "keychain answered:"
                            << (status == TokenStore::Status::Stored ? "token stored" : "no token");
        if (status == TokenStore::Status::Stored)
            m_engine->setToken(m_tokens->token());
        else if (!m_options.jsonEvents)
            status == TokenStore::Status::None
                ? this->status(
                    tr("no token stored for this profile: the processes start without one "
                       "(set it in the window, or use --token-from-env VAR or --token-file FILE)"))
                : this->status(tr("token: %1").arg(m_tokens->message()));
        if (const int code = startEngine())
            emit finished(code);
    });
    m_keychainTimer.setSingleShot(true);
    connect(&m_keychainTimer, &QTimer::timeout, this, [this] {
        status(tr("the keychain did not answer within 10 s; starting without a token "
                  "(use --token-from-env VAR or --token-file FILE on servers)"));
        if (const int code = startEngine())
            emit finished(code);
    });
    m_keychainTimer.start(10000);
    m_tokens->load(QFileInfo(m_options.profilePath).absoluteFilePath());
    return 0;
}

int HeadlessRunner::startEngine()
{
    if (m_started)
        return 0;
    m_started = true;
    QString error;
    if (!m_engine->startAll(&error)) {
        printErr(tr("shard-manager: cannot start: %1").arg(error));
        return 1;
    }
    const Profile &p = m_engine->profile();
    if (!m_options.jsonEvents && !p.maxShardsAuto)
        status(tr("running %1 with %2 shards in %3 processes, %4 ms apart%5")
                   .arg(p.resolvedFile())
                   .arg(p.maxShards)
                   .arg(m_engine->processCount())
                   .arg(p.waitTime)
                   .arg(p.logFile.isEmpty() ? QString()
                                            : tr(", logging to %1").arg(p.resolvedLogFile())));
    return 0;
}

void HeadlessRunner::printSummary()
{
    qint64 total = 0, largest = 0;
    int largestProcess = -1;
    double cpu = 0;
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ResourceHistory &h = m_engine->resources(i);
        if (!h.hasSample)
            continue;
        total += h.last.rssBytes;
        cpu += h.last.cpuPercent;
        if (h.last.rssBytes > largest) {
            largest = h.last.rssBytes;
            largestProcess = i;
        }
    }
    QString text = tr("%1 of %2 processes running, %3 resident in all, CPU %4%")
                       .arg(m_engine->status().running)
                       .arg(m_engine->processCount())
                       .arg(Units::dataSize(total))
                       .arg(cpu, 0, 'f', 1);
    if (largestProcess >= 0)
        text += tr(", largest: process %1 with %2")
                    .arg(largestProcess)
                    .arg(Units::dataSize(largest));
    status(text);
}

void HeadlessRunner::onStdinData(const QByteArray &bytes)
{
    // A broadcast is one IPC message: a stdin line may be as long as one, no longer. A longer
    // one is dropped up to its newline, so that neither its bytes nor our memory pile up.
    const qsizetype maxLine = IpcConnection::Limits().maxMessageBytes;
    QByteArrayView data(bytes);
    if (m_stdinDropped > 0) {
        const qsizetype newline = data.indexOf('\n');
        if (newline < 0) {
            m_stdinDropped += data.size();
            return;
        }
        m_stdinDropped += newline;
        reportDroppedLine();
        data = data.sliced(newline + 1);
    }
    const QByteArrayList lines = m_stdinLines->feed(data.toByteArray());
    for (const QByteArray &line : lines) {
        if (line.size() > maxLine) {
            m_stdinDropped = line.size();
            reportDroppedLine();
        } else if (!line.isEmpty()) {
            broadcastLine(QString::fromUtf8(line));
        }
    }
    if (m_stdinLines->tailSize() > maxLine) {
        m_stdinDropped = m_stdinLines->tailSize();
        m_stdinLines->flush(); // thrown away: the rest of the line follows it
    }
    if (m_engine->ipcServer()->isCongested()) {
        qCDebug(lcHeadless) << "IPC backlog over its budget: stdin paused";
        m_stdin->setPaused(true);
    }
}

void HeadlessRunner::reportDroppedLine()
{
    const QString text = tr("stdin: dropped a line of %1 bytes (a broadcast is at most %2 bytes)")
                             .arg(m_stdinDropped)
                             .arg(IpcConnection::Limits().maxMessageBytes);
    m_stdinDropped = 0;
    m_engineEvents->post(u"notice"_s, -1, {{u"message"_s, text}});
    if (!m_events)
        status(text);
}

void HeadlessRunner::broadcastLine(const QString &line)
{
    const int reached = m_engine->broadcast(line);
    if (!m_options.jsonEvents)
        status(tr("broadcast to %n connection(s): %1", nullptr, reached).arg(line));
}

void HeadlessRunner::onTermination(int signal)
{
    const bool first = ++m_terminations == 1;
    qCDebug(lcHeadless) << ProcessControl::signalName(signal) << "received, number"
                        << m_terminations << (first ? "(stop all)" : "(kill all)");
    if (!m_options.jsonEvents)
        status((first ? tr("%1: stopping all processes (again to kill them now)")
                      : tr("%1 again: killing all processes"))
                   .arg(ProcessControl::signalName(signal)));
    // The engine's stopAll kills what is still stopping: a second signal kills.
    m_engine->stopAll();
    if (first && !m_engine->isSessionOpen())
        emit finished(0);
}

void HeadlessRunner::stopService(const QString &why)
{
    if (m_terminations++ == 0 && !m_options.jsonEvents)
        status(why);
    m_engine->stopAll();
    if (!m_engine->isSessionOpen())
        emit finished(0);
}

int checkProfile(const QString &path, const ClusterSlice &slice)
{
    QTextStream out(stdout);
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(path, &errors);
    // Every problem at once, as the window's Open shows them.
    ProfileCheck::afterLoad(profile, &errors);
    if (!errors.isEmpty()) {
        for (const ProfileError &e : std::as_const(errors))
            printErr(path + u": "_s + e.toString());
        return 2;
    }
    out << checkText("%1: valid").arg(path) << u'\n';
    if (profile.maxShardsAuto) {
        out << checkText("maxShards is \"auto\": the plan is made when Discord answers at start")
            << u'\n';
        return 0;
    }
    const QList<ShardRange> plan
        = ShardPlan::compute(profile.maxShards, profile.shardsPerProcess, profile.waitTime);
    out << checkText("%1 shards in %2 processes").arg(profile.maxShards).arg(plan.size()) << u'\n';
    if (!slice.isWhole()) {
        out << ClusterOptions::sliceTable(plan, slice);
        if (int(plan.size()) < slice.size)
            return 2;
    }
    out << checkText("process  shards       start") << u'\n';
    for (const ShardRange &r : plan)
        out << u"%1  %2  +%3 s\n"_s.arg(r.process, 7)
                   .arg(checkText("%1 to %2").arg(r.first).arg(r.last), -11)
                   .arg(double(r.startOffsetMs) / 1000.0, 0, 'f', 1);
    return 0;
}
