#pragma once

// One run of the shard-manager binary for the tests that treat it as an operator would: started
// as the leader of its own process group (as a shell starts a job), so the whole group can be
// signalled, its output collected as it comes.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

struct ManagerOptions {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Instead of pipes to the test: files, or FIFOs whose reader the test may close.
    QString stdoutFile;
    QString stderrFile;
    bool nullStdin = false; // stdin from /dev/null instead of a pipe the test may write to
};

class ManagerProcess {
public:
    explicit ManagerProcess(const QStringList &arguments, const ManagerOptions &options = {})
    {
        m_process.setProcessEnvironment(options.environment);
        m_process.setChildProcessModifier([] {
            setpgid(0, 0);
            // A manager that dies of SIGQUIT (old code) must not leave a core file behind.
            const rlimit noCore {0, 0};
            setrlimit(RLIMIT_CORE, &noCore);
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
        if (!options.stdoutFile.isEmpty())
            m_process.setStandardOutputFile(options.stdoutFile);
        if (!options.stderrFile.isEmpty())
            m_process.setStandardErrorFile(options.stderrFile);
        if (options.nullStdin)
            m_process.setStandardInputFile(QProcess::nullDevice());
        m_process.start(QStringLiteral(SHARDMANAGER_PATH), arguments);
        m_started = m_process.waitForStarted(5000);
    }
    ~ManagerProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill(); // a failed test: never leave the manager (and its shards) behind
            m_process.waitForFinished(5000);
        }
    }
    ManagerProcess(const ManagerProcess &) = delete;
    ManagerProcess &operator=(const ManagerProcess &) = delete;

    QProcess &process() { return m_process; }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    void sendSignal(int sig) const { ::kill(pid_t(pid()), sig); }
    // Ended (a manager that never started has not: QProcess would report it as exit code 0).
    bool finish(int ms = 10000)
    {
        return m_started
            && (m_process.state() == QProcess::NotRunning || m_process.waitForFinished(ms));
    }
    // Stopped by itself with exit code 0, not by a signal.
    bool exitedCleanly() const
    {
        return m_started && m_process.state() == QProcess::NotRunning
            && m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }
    QString err() const { return QString::fromUtf8(m_err); }

    // Complete stdout lines so far.
    QStringList lines() const
    {
        QStringList list = QString::fromUtf8(m_out).split(u'\n');
        list.removeLast(); // the unfinished rest (empty after a final newline)
        return list;
    }

    // --events json: every stdout line as a JSON object (an unparsable one as {"unparsable":
    // line}), or only the events called name.
    QList<QJsonObject> events(const QString &name = QString()) const
    {
        QList<QJsonObject> list;
        for (const QString &line : lines()) {
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
            const QJsonObject o = doc.isObject()
                ? doc.object()
                : QJsonObject {{QStringLiteral("unparsable"), line}};
            if (name.isEmpty() || o.value(QLatin1String("event")).toString() == name)
                list << o;
        }
        return list;
    }

    // --events json: the lines of output events from process (every process when -1).
    QStringList output(int process = -1) const
    {
        QStringList list;
        for (const QJsonObject &o : events(QStringLiteral("output"))) {
            if (process < 0 || o.value(QLatin1String("process")).toInt(-1) == process)
                list << o.value(QLatin1String("line")).toString();
        }
        return list;
    }

    // The pids children printed with --pid.
    QList<qint64> childPids() const { return printedNumbers(QStringLiteral("PID ")); }

    bool stateSeen(int process, const QString &state) const
    {
        for (const QJsonObject &o : events(QStringLiteral("state"))) {
            if (o.value(QLatin1String("process")).toInt(-1) == process
                && o.value(QLatin1String("state")).toString() == state)
                return true;
        }
        return false;
    }

    // The numbers after prefix in the output lines that start with it ("PID 123", "GRANDCHILD 5").
    QList<qint64> printedNumbers(const QString &prefix) const
    {
        QList<qint64> numbers;
        for (const QString &line : output()) {
            if (line.startsWith(prefix))
                numbers << line.mid(prefix.size()).toLongLong();
        }
        return numbers;
    }

    // Without --events: the pids of the "process I (shards ...) started, pid P" status lines, in
    // order, with their process index.
    QList<std::pair<int, qint64>> startedPids() const
    {
        static const QRegularExpression started(
            QStringLiteral("process (\\d+) \\(shards [^)]*\\) started, pid (\\d+)"));
        QList<std::pair<int, qint64>> list;
        for (auto it = started.globalMatch(err()); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            list.append({m.captured(1).toInt(), m.captured(2).toLongLong()});
        }
        return list;
    }

private:
    QProcess m_process;
    bool m_started = false;
    QByteArray m_out;
    QByteArray m_err;
};

// The short form most headless tests use: arguments, stdin from /dev/null or a pipe, environment.
class Manager : public ManagerProcess {
public:
    explicit Manager(const QStringList &arguments, bool nullStdin = false,
                     const QProcessEnvironment &environment
                     = QProcessEnvironment::systemEnvironment())
        : ManagerProcess(arguments, ManagerOptions {environment, QString(), QString(), nullStdin})
    {
    }
};
