#pragma once

// Runs the real shard-manager binary for the tests that drive it from outside (--check,
// --headless), collecting its output as it comes.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

// One run of shard-manager, its output collected as it comes.
class Manager
{
public:
    explicit Manager(const QStringList &arguments, bool nullStdin = false,
                     const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_err += m_process.readAllStandardError(); });
        if (nullStdin)
            m_process.setStandardInputFile(QProcess::nullDevice());
        m_process.start(QStringLiteral(SHARDMANAGER_PATH), arguments);
    }
    ~Manager()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill(); // a failed test: never leave the manager (and its shards) behind
            m_process.waitForFinished(5000);
        }
    }
    Manager(const Manager &) = delete;
    Manager &operator=(const Manager &) = delete;

    QProcess &process() { return m_process; }
    bool running() const { return m_process.state() == QProcess::Running; }
    bool finish(int ms = 10000)
    {
        return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(ms);
    }
    QString err() const { return QString::fromUtf8(m_err); }

    // Complete stdout lines so far.
    QStringList lines() const
    {
        QStringList list = QString::fromUtf8(m_out).split(u'\n');
        list.removeLast(); // the unfinished rest (empty after a final newline)
        return list;
    }

    // Every stdout line parsed as a JSON object; an unparsable line becomes {"unparsable": line}.
    QList<QJsonObject> events(const QString &name = QString()) const
    {
        QList<QJsonObject> list;
        for (const QString &line : lines()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
            const QJsonObject o = doc.isObject() ? doc.object() : QJsonObject{{QStringLiteral("unparsable"), line}};
            if (name.isEmpty() || o.value(QStringLiteral("event")).toString() == name)
                list << o;
        }
        return list;
    }

    // The "line" of output events from process (or every process when -1).
    QStringList output(int process = -1) const
    {
        QStringList list;
        for (const QJsonObject &o : events(QStringLiteral("output"))) {
            if (process < 0 || o.value(QStringLiteral("process")).toInt(-1) == process)
                list << o.value(QStringLiteral("line")).toString();
        }
        return list;
    }

    // The pids children printed with --pid.
    QList<qint64> childPids() const
    {
        QList<qint64> pids;
        for (const QString &line : output()) {
            if (line.startsWith(QStringLiteral("PID ")))
                pids << line.mid(4).toLongLong();
        }
        return pids;
    }

    bool stateSeen(int process, const QString &state) const
    {
        for (const QJsonObject &o : events(QStringLiteral("state"))) {
            if (o.value(QStringLiteral("process")).toInt(-1) == process && o.value(QStringLiteral("state")).toString() == state)
                return true;
        }
        return false;
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};
