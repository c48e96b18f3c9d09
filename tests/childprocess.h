#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include "platform/processcontrol.h"

// A client process for tests: started in its own process group (as the engine starts shards),
// its stdout collected as lines, killed and reaped when the test is done with it.
class ChildProcess {
public:
    ChildProcess(const QString &program, const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        ProcessControl::prepare(&m_process);
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            m_buffer += m_process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = m_buffer.indexOf('\n')) >= 0) {
                m_lines << QString::fromUtf8(m_buffer.left(newline));
                m_buffer.remove(0, newline + 1);
            }
        });
        m_process.start(program, arguments);
    }

    ~ChildProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            ProcessControl::killGroup(m_process.processId());
            m_process.waitForFinished(5000);
        }
    }

    qint64 pid() const { return m_process.processId(); }
    const QStringList &lines() const { return m_lines; }
    bool hasLine(const QString &line) const { return m_lines.contains(line); }
    QStringList linesStartingWith(const QString &prefix) const
    {
        QStringList out;
        for (const QString &l : m_lines) {
            if (l.startsWith(prefix))
                out << l;
        }
        return out;
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QStringList m_lines;
};
