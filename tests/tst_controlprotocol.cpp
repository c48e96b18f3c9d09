// Tests the control protocol (docs/control-protocol.md) against real services: every engine
// signal is an event of the documented schema, commands reach the engine and every client sees
// what another did, the snapshot carries the run, a profile is applied and saved, the service
// stops on request, and a slow client is thinned (with an exact count of what it missed) or
// dropped while the service and the other clients go on.

#include "controlprobe.h"
#include "engine/shardengine.h"
#include "managerprocess.h"
#include "service/controlpaths.h"
#include "service/engineevents.h"
#include "service/eventcodec.h"
#include "testbot.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QMetaMethod>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;

class TestControlProtocol : public QObject {
    Q_OBJECT

private slots:
    void init();
    void everyEngineSignalIsADocumentedEvent();
    void outputEventsAreExactJson();
    void ipcMessageEventsAreExactJson();
    void withoutRuntimeDirTheLogindFolderIsUsed();
    void commandsReachTheEngineAndEveryClientSeesThem();
    void snapshotCarriesTheRun();
    void killEndsOneProcessAtOnce();
    void profileIsAppliedAndServiceStopsOnRequest();
    void slowClientIsThinnedWithAnExactCount();
    void stalledClientIsDroppedOthersGoOn();

private:
#ifdef SHARD_TEST_SANITIZED
    // Under ASan the probe parses a quarter as fast: a quarter of the flood against a quarter of
    // the budget passes the same thresholds well inside CTest's timeout.
    static constexpr int kLines = 250000;
    static constexpr int kBudget = 1024 * 1024;
#else
    static constexpr int kLines = 1000000;
    static constexpr int kBudget = 4 * 1024 * 1024;
#endif
    // A service of one process that prints kLines lines after 1.5 s, paced so that a client
    // that reads keeps up within its budget and one that does not passes it in a second or two.
    std::unique_ptr<Manager> startFlood(int stallMs);
    QProcessEnvironment environment(const QHash<QString, QString> &extra = {}) const;
    QString socketPath() const;

    std::unique_ptr<QTemporaryDir> m_runtime;
    TestBot m_bot;
};

void TestControlProtocol::init()
{
    m_runtime = std::make_unique<QTemporaryDir>();
    QVERIFY(m_runtime->isValid());
    QVERIFY(m_bot.isValid());
}

QProcessEnvironment TestControlProtocol::environment(const QHash<QString, QString> &extra) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

std::unique_ptr<Manager> TestControlProtocol::startFlood(int stallMs)
{
    const QString profile = m_bot.write({{u"maxShards"_s, 1},
                                         {u"interpreterArgs"_s,
                                          QJsonArray {u"--sleep=1500"_s, u"--rate=200000"_s,
                                                      u"--lines=%1"_s.arg(kLines), u"--run"_s}}});
    return std::make_unique<Manager>(
        QStringList {u"--headless"_s, u"--no-echo"_s, profile}, true,
        environment({{u"SHARD_MANAGER_CONTROL_STALL_MS"_s, QString::number(stallMs)},
                     {u"SHARD_MANAGER_CONTROL_BUDGET"_s, QString::number(kBudget)}}));
}

QString TestControlProtocol::socketPath() const
{
    const QDir folder(m_runtime->filePath(u"shard-manager"_s));
    const QStringList sockets = folder.entryList({u"*.sock"_s}, QDir::System);
    return sockets.size() == 1 ? folder.filePath(sockets.first()) : QString();
}

void TestControlProtocol::everyEngineSignalIsADocumentedEvent()
{
    QHash<QByteArray, QString> mapped;
    for (const auto &[signal, event] : EngineEvents::signalEvents())
        mapped.insert(signal, event);
    const QMetaObject &meta = ShardEngine::staticMetaObject;
    int signalCount = 0;
    for (int i = QObject::staticMetaObject.methodCount(); i < meta.methodCount(); ++i) {
        const QMetaMethod method = meta.method(i);
        if (method.methodType() != QMetaMethod::Signal)
            continue;
        ++signalCount;
        QVERIFY2(mapped.contains(method.name()),
                 qPrintable(u"the engine's signal %1 is no control event (EngineEvents)"_s.arg(
                     QString::fromLatin1(method.name()))));
    }
    QVERIFY(signalCount >= 20);

    QFile doc(QStringLiteral(DOCS_DIR) + u"/control-protocol.md"_s);
    QVERIFY(doc.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(doc.readAll());
    QSet<QString> documented;
    static const QRegularExpression row(u"^\\| `(\\w+)`(?: / `(\\w+)`)? \\|"_s,
                                        QRegularExpression::MultilineOption);
    for (auto it = row.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        documented.insert(m.captured(1));
        if (m.hasCaptured(2))
            documented.insert(m.captured(2));
    }
    QStringList events = mapped.values();
    events << u"errorOutput"_s << u"stats"_s << u"skipped"_s;
    for (const QString &event : std::as_const(events))
        QVERIFY2(documented.contains(event),
                 qPrintable(u"event %1 is not in docs/control-protocol.md"_s.arg(event)));
}

void TestControlProtocol::outputEventsAreExactJson()
{
    // The hand-written serializer of the flood's event reads back as the lines it was given.
    const QStringList lines {u"plain"_s,
                             u"\x1b[31mred\x1b[0m and a \"quote\" and a \\ backslash"_s,
                             u"tab\there, bell\a, nul \0 inside, DEL \x7f"_s,
                             u"Grüße, 日本語, 🎉"_s,
                             QString(),
                             u"\r\n\b\f\x01\x1f"_s};
    const EventCodec::OutputEvent fields {true, 3, 6, 7};
    const QByteArray batch = EventCodec::outputLine(fields, lines);
    QVERIFY(batch.endsWith('\n'));
    QCOMPARE(batch.count('\n'), 1); // one event, one line
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(batch, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(o.value(u"event"_s).toString(), u"errorOutput"_s);
    QCOMPARE(o.value(u"process"_s).toInt(), 3);
    QCOMPARE(o.value(u"first"_s).toInt(), 6);
    QCOMPARE(o.value(u"last"_s).toInt(), 7);
    QVERIFY(QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs).isValid());
    QStringList back;
    for (const QJsonValue &line : o.value(u"lines"_s).toArray())
        back.append(line.toString());
    QCOMPARE(back, lines);
    for (const QString &line : lines) {
        const QByteArray single = EventCodec::outputLine({false, 0, 0, 1}, line);
        const QJsonObject one = QJsonDocument::fromJson(single).object();
        QCOMPARE(one.value(u"event"_s).toString(), u"output"_s);
        QCOMPARE(one.value(u"line"_s).toString(), line);
    }
}

void TestControlProtocol::ipcMessageEventsAreExactJson()
{
    // Written by hand like output: the same fields EngineEvents::make gives any event, read back.
    for (const QString &message :
         {u"{\"op\":\"stats\",\"guilds\":3}"_s, u"Grüße 🎉 \"q\" \\ \x01\n"_s, QString()}) {
        for (const int process : {2, -1}) {
            EventCodec::IpcMessageEvent fields;
            fields.process = process;
            fields.first = 4;
            fields.last = 5;
            fields.connection = 17;
            const QByteArray line = EventCodec::ipcMessageLine(fields, message);
            QVERIFY(line.endsWith('\n'));
            QCOMPARE(line.count('\n'), 1);
            QJsonParseError error;
            const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
            QCOMPARE(o.value(u"event"_s).toString(), u"ipcMessage"_s);
            QCOMPARE(o.value(u"message"_s).toString(), message);
            QCOMPARE(o.value(u"connection"_s).toInt(), 17);
            QStringList keys {u"event"_s, u"time"_s, u"connection"_s, u"message"_s};
            if (process >= 0) {
                keys << u"process"_s << u"first"_s << u"last"_s;
                QCOMPARE(o.value(u"process"_s).toInt(), 2);
                QCOMPARE(o.value(u"first"_s).toInt(), 4);
                QCOMPARE(o.value(u"last"_s).toInt(), 5);
            }
            keys.sort();
            QCOMPARE(o.keys(), keys); // QJsonObject's keys are sorted
        }
    }
    // The time as QDateTime writes it (ISO 8601, milliseconds, UTC), now.
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QString now = EventCodec::now();
    const QDateTime after = QDateTime::currentDateTimeUtc();
    const QDateTime parsed = QDateTime::fromString(now, Qt::ISODateWithMs);
    QVERIFY2(parsed.isValid() && parsed >= before && parsed <= after, qPrintable(now));
    QCOMPARE(now, parsed.toUTC().toString(Qt::ISODateWithMs));
}

void TestControlProtocol::withoutRuntimeDirTheLogindFolderIsUsed()
{
    // An ssh session without PAM has no XDG_RUNTIME_DIR; a login session's service uses
    // /run/user/<uid>: both must meet there.
    const QString logind = u"/run/user/%1"_s.arg(::geteuid());
    const bool made = !QFileInfo::exists(logind);
    if (made && (::geteuid() != 0 || !QDir().mkpath(logind)))
        QSKIP("no /run/user/<uid> and not root to make one");
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    qunsetenv("XDG_RUNTIME_DIR");
    const QString directory = ControlPaths::directory();
    qputenv("XDG_RUNTIME_DIR", saved);
    if (made)
        QDir(logind).removeRecursively();
    QCOMPARE(directory, logind + u"/shard-manager"_s);
}

void TestControlProtocol::commandsReachTheEngineAndEveryClientSeesThem()
{
    const QString profile
        = m_bot.write({{u"interpreterArgs"_s, QJsonArray {u"--ipc-connect"_s, u"--ipc-echo"_s}}});
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);

    ControlProbe a(socketPath());
    ControlProbe b(socketPath());
    QVERIFY(a.isConnected() && b.isConnected());
    QTRY_COMPARE(a.of(u"snapshot"_s).size(), 1);
    QTRY_COMPARE(b.of(u"snapshot"_s).size(), 1);
    QCOMPARE(a.objects().first().value(u"type"_s).toString(), u"hello"_s);
    QCOMPARE(a.objects().first().value(u"protocol"_s).toInt(), 1);
    QCOMPARE(a.objects().first().value(u"pid"_s).toInteger(), service.pid());

    // Both children connected to IPC: a broadcast from A reaches both, and B sees the echo.
    QTRY_VERIFY_WITH_TIMEOUT(!a.of(u"ipcConnections"_s).isEmpty()
                                 && a.of(u"ipcConnections"_s).last().value(u"total"_s).toInt() == 2,
                             10000);
    const int broadcast = a.send({{u"command"_s, u"broadcast"_s}, {u"message"_s, u"hi all"_s}});
    QTRY_VERIFY(!a.reply(broadcast).isEmpty());
    QCOMPARE(a.reply(broadcast).value(u"reached"_s).toInt(), 2);
    QTRY_VERIFY(b.outputLines(0).contains(u"IPC hi all"_s)
                && b.outputLines(1).contains(u"IPC hi all"_s));
    QVERIFY2(b.of(u"reply"_s).isEmpty(), "a reply went to the client that did not ask");

    // A stops process 1: both see it stop, as a requested exit.
    const int stop = a.send({{u"command"_s, u"stop"_s}, {u"process"_s, 1}});
    QTRY_VERIFY(a.reply(stop).value(u"ok"_s).toBool());
    for (ControlProbe *probe : {&a, &b}) {
        QTRY_VERIFY_WITH_TIMEOUT(probe->seen(
                                     u"exited"_s,
                                     [](const QJsonObject &o) {
            return o.value(u"process"_s).toInt() == 1 && o.value(u"requested"_s).toBool();
                                     }),
                                 10000);
    }
    // B starts it again: A sees it start.
    const int start = b.send({{u"command"_s, u"start"_s}, {u"process"_s, 1}});
    QTRY_VERIFY(b.reply(start).value(u"ok"_s).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(
        a.seen(u"started"_s,
               [](const QJsonObject &o) { return o.value(u"process"_s).toInt() == 1; }),
        10000);

    // Bad commands get a reason, and nothing else happens.
    const int missing = a.send({{u"command"_s, u"stop"_s}, {u"process"_s, 7}});
    const int unknown = a.send({{u"command"_s, u"explode"_s}});
    const int noMessage = a.send({{u"command"_s, u"send"_s}, {u"process"_s, 0}});
    QTRY_VERIFY(!a.reply(noMessage).isEmpty());
    QVERIFY(!a.reply(missing).value(u"ok"_s).toBool());
    QVERIFY2(a.reply(missing).value(u"error"_s).toString().contains(u"no process 7"_s),
             qPrintable(a.reply(missing).value(u"error"_s).toString()));
    QVERIFY(a.reply(unknown).value(u"error"_s).toString().contains(u"unknown command"_s));
    QVERIFY(a.reply(noMessage).value(u"error"_s).toString().contains(u"message"_s));
    QVERIFY(service.running());

    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
    QVERIFY(service.exitedCleanly());
}

void TestControlProtocol::snapshotCarriesTheRun()
{
    const QString profile = m_bot.write(
        {{u"interpreterArgs"_s,
          QJsonArray {u"--print=hello from the bot"_s, u"--ipc-connect"_s, u"--ipc-hello"_s,
                      u"--ipc-send=\"hi\" from ${SHARDER_PROCESS}"_s, u"--run"_s}}});
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"output"_s).size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"ipcMessage"_s).size(), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);
    // A first client waits for a resources sample, so the second one's snapshot has history.
    ControlProbe first(socketPath());
    QTRY_VERIFY_WITH_TIMEOUT(!first.of(u"resources"_s).isEmpty(), 5000);

    ControlProbe late(socketPath());
    QTRY_COMPARE(late.of(u"snapshot"_s).size(), 1);
    const QJsonObject snapshot = late.of(u"snapshot"_s).first();
    QCOMPARE(snapshot.value(u"profile"_s).toObject().value(u"maxShards"_s).toInt(), 2);
    QVERIFY(snapshot.value(u"status"_s).toObject().value(u"sessionOpen"_s).toBool());
    const QJsonArray processes = snapshot.value(u"processes"_s).toArray();
    QCOMPARE(processes.size(), 2);
    // The IPC console's history: each child's message, with its process.
    const QJsonArray messages = snapshot.value(u"ipcMessages"_s).toArray();
    QCOMPARE(messages.size(), 2);
    for (const QJsonValue &m : messages) {
        const int process = m[u"process"_s].toInt(-1);
        QVERIFY(process == 0 || process == 1);
        QCOMPARE(m[u"event"_s].toString(), u"ipcMessage"_s);
        QCOMPARE(m[u"message"_s].toString(), u"\"hi\" from %1"_s.arg(process));
    }
    for (const QJsonObject &started : service.events(u"started"_s)) {
        const QJsonObject p = processes.at(started.value(u"process"_s).toInt()).toObject();
        QCOMPARE(p.value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(p.value(u"pid"_s).toInteger(), started.value(u"pid"_s).toInteger());
        const QJsonArray lines = p.value(u"lines"_s).toArray();
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first().toArray().at(2).toString(), u"hello from the bot"_s);
        const QJsonObject resources = p.value(u"resources"_s).toObject();
        QVERIFY(!resources.value(u"recent"_s).toArray().isEmpty());
        QCOMPARE(resources.value(u"starts"_s).toArray().size(), 1);
        // How it was started, for the window's details dock: argv per DESIGN §1 and the
        // manager's variables, the IPC secret only as a placeholder.
        const QJsonObject launch = p.value(u"launch"_s).toObject();
        QCOMPARE(launch.value(u"program"_s).toString(), QStringLiteral(FAKESHARD_PATH));
        const QJsonArray argv = launch.value(u"arguments"_s).toArray();
        QCOMPARE(argv.at(argv.size() - 3).toString(), QString::number(p.value(u"first"_s).toInt()));
        QMap<QString, QString> env;
        for (const QJsonValue &pair : launch.value(u"environment"_s).toArray())
            env.insert(pair[0].toString(), pair[1].toString());
        QCOMPARE(env.value(u"SHARDER_PROCESS"_s), QString::number(p.value(u"process"_s).toInt()));
        QCOMPARE(env.value(u"SHARDER_IPC_TOKEN"_s), u"[secret]"_s);
    }
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
}

void TestControlProtocol::killEndsOneProcessAtOnce()
{
    // Children that ignore SIGTERM, with a minute to stop: "kill" of one process (the window's
    // Kill Selected) ends it with SIGKILL at once and leaves the other running.
    const QString profile
        = m_bot.write({{u"stopTimeout"_s, 60000},
                       {u"interpreterArgs"_s, QJsonArray {u"--ignore-term"_s, u"--run"_s}}});
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.output().count(u"IGNORING TERM"_s), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);
    ControlProbe client(socketPath());
    const int kill = client.send({{u"command"_s, u"kill"_s}, {u"process"_s, 1}});
    QTRY_VERIFY(client.reply(kill).value(u"ok"_s).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(client.seen(
                                 u"exited"_s,
                                 [](const QJsonObject &o) {
        return o.value(u"process"_s).toInt() == 1 && o.value(u"signal"_s).toString() == u"SIGKILL"_s
            && o.value(u"requested"_s).toBool();
                                 }),
                             5000);
    QCOMPARE(client.of(u"exited"_s).size(), 1); // process 0 runs on
    client.send({{u"command"_s, u"kill"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(client.of(u"exited"_s).size(), 2, 5000);
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
}

void TestControlProtocol::profileIsAppliedAndServiceStopsOnRequest()
{
    const QString profile = m_bot.write({});
    Manager service({u"--headless"_s, u"--events"_s, u"json"_s, profile}, true, environment());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);
    ControlProbe client(socketPath());
    QTRY_COMPARE(client.of(u"snapshot"_s).size(), 1);
    QJsonObject changed = client.of(u"snapshot"_s).first().value(u"profile"_s).toObject();
    changed.insert(u"maxShards"_s, 4);

    const int busy = client.send({{u"command"_s, u"applyProfile"_s}, {u"profile"_s, changed}});
    QTRY_VERIFY(!client.reply(busy).isEmpty());
    QVERIFY(client.reply(busy).value(u"error"_s).toString().contains(u"stop the running"_s));

    client.send({{u"command"_s, u"stop"_s}});
    QTRY_VERIFY_WITH_TIMEOUT(!client.of(u"allStopped"_s).isEmpty(), 10000);
    QJsonObject broken = changed;
    broken.insert(u"shardsPerProcess"_s, -3);
    const int bad = client.send({{u"command"_s, u"applyProfile"_s}, {u"profile"_s, broken}});
    const int good = client.send({{u"command"_s, u"applyProfile"_s}, {u"profile"_s, changed}});
    QTRY_VERIFY(!client.reply(good).isEmpty());
    QVERIFY(client.reply(bad).value(u"error"_s).toString().contains(u"shardsPerProcess"_s));
    QVERIFY2(client.reply(good).value(u"ok"_s).toBool(),
             qPrintable(client.reply(good).value(u"error"_s).toString()));
    QCOMPARE(client.reply(good).value(u"processes"_s).toInt(), 4);
    QTRY_COMPARE(client.of(u"plan"_s).size(), 1);
    QCOMPARE(client.of(u"plan"_s).first().value(u"processes"_s).toArray().size(), 4);
    // Saved: the service runs from its file.
    QFile file(profile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object().value(u"maxShards"_s).toInt(), 4);

    const int start = client.send({{u"command"_s, u"start"_s}});
    QTRY_VERIFY(client.reply(start).value(u"ok"_s).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(service.events(u"started"_s).size(), 6, 10000);
    const int stop = client.send({{u"command"_s, u"stopService"_s}});
    QTRY_VERIFY(client.reply(stop).value(u"ok"_s).toBool());
    QVERIFY(service.finish());
    QVERIFY(service.exitedCleanly());
    QCOMPARE(service.events(u"exited"_s).size(), 6);
    QVERIFY2(socketPath().isEmpty(), "the socket outlived the service");
}

void TestControlProtocol::slowClientIsThinnedWithAnExactCount()
{
    const std::unique_ptr<Manager> flood = startFlood(600000);
    Manager &service = *flood;
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);
    ControlProbe slow(socketPath(), false);
    ControlProbe fast(socketPath());
    QVERIFY(slow.isConnected() && fast.isConnected());

    // The fast client gets every line, while the slow one reads nothing.
    QTRY_COMPARE_WITH_TIMEOUT(fast.outputLines(0).size(), kLines, 30000);
    QCOMPARE(fast.outputLines(0).last(), u"line %1"_s.arg(kLines));
    QVERIFY(fast.of(u"skipped"_s).isEmpty());

    // The slow one comes back: what it got and what it was told it missed add up exactly.
    slow.resume();
    QTRY_VERIFY_WITH_TIMEOUT(!slow.of(u"skipped"_s).isEmpty(), 10000);
    qint64 skipped = 0;
    for (const QJsonObject &o : slow.of(u"skipped"_s))
        skipped += o.value(u"lines"_s).toInteger();
    QTRY_COMPARE_WITH_TIMEOUT(slow.outputLines(0).size() + skipped, qint64(kLines), 10000);
    QVERIFY(skipped > 0);
    QCOMPARE(slow.of(u"snapshot"_s).size(), 1); // the snapshot itself is never thinned
    QVERIFY(service.running());
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
    QVERIFY(service.exitedCleanly());
}

void TestControlProtocol::stalledClientIsDroppedOthersGoOn()
{
    const std::unique_ptr<Manager> flood = startFlood(500);
    Manager &service = *flood;
    QTRY_VERIFY_WITH_TIMEOUT(!socketPath().isEmpty(), 5000);
    ControlProbe stalled(socketPath(), false);
    ControlProbe fast(socketPath());
    QTRY_COMPARE_WITH_TIMEOUT(fast.outputLines(0).size(), kLines, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(fast.seen(
                                 u"notice"_s,
                                 [](const QJsonObject &o) {
        return o.value(u"message"_s).toString().contains(u"dropped client"_s);
                                 }),
                             10000);
    QTRY_VERIFY_WITH_TIMEOUT(service.err().contains(u"dropped client"_s), 5000);
    // The stalled client's connection is gone; the service goes on.
    stalled.resume();
    QTRY_COMPARE_WITH_TIMEOUT(stalled.socket().state(), QLocalSocket::UnconnectedState, 5000);
    QVERIFY(service.running());
    ControlProbe again(socketPath());
    QTRY_COMPARE(again.of(u"snapshot"_s).size(), 1);
    service.sendSignal(SIGTERM);
    QVERIFY(service.finish());
    QVERIFY(service.exitedCleanly());
}

QTEST_GUILESS_MAIN(TestControlProtocol)
#include "tst_controlprotocol.moc"
