#pragma once

// A real OpenSSH server for the tests that reach the manager as a remote window does: Debian's
// sshd (openssh-server) in the foreground on a free loopback port, with a host key and a client
// key pair made for the run, letting in the current user with that key only (root too, as CI
// runs: by key, never by password). The client is the user's own ssh, told to read no
// configuration, keys or known hosts of the user's.

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <pwd.h>
#include <unistd.h>

class SshServer {
public:
    static constexpr char kSshd[] = "/usr/sbin/sshd";

    SshServer() = default;
    ~SshServer()
    {
        if (m_sshd.state() != QProcess::NotRunning) {
            m_sshd.terminate();
            if (!m_sshd.waitForFinished(5000))
                m_sshd.kill();
            m_sshd.waitForFinished(5000);
        }
    }
    SshServer(const SshServer &) = delete;
    SshServer &operator=(const SshServer &) = delete;

    // Why no server can run here (for QSKIP), empty when one can.
    static QString unavailable()
    {
        if (!QFile::exists(QLatin1String(kSshd)))
            return QStringLiteral("needs %1 (apt-get install openssh-server)")
                .arg(QLatin1String(kSshd));
        for (const char *program : {"ssh", "ssh-keygen"}) {
            if (QStandardPaths::findExecutable(QLatin1String(program)).isEmpty())
                return QStringLiteral("needs %1 (apt-get install openssh-client)")
                    .arg(QLatin1String(program));
        }
        return QString();
    }

    // Makes the keys and starts sshd; false with a reason when it does not listen.
    bool start(QString *error)
    {
        if (!m_dir.isValid())
            return fail(error, QStringLiteral("no temporary folder"));
        const passwd *account = ::getpwuid(::geteuid());
        if (!account)
            return fail(error, QStringLiteral("no account for uid %1").arg(::geteuid()));
        m_user = QString::fromLocal8Bit(account->pw_name);
        // The privilege separation folder sshd insists on (a package's tmpfiles make it at boot).
        if (::geteuid() == 0 && !QDir().mkpath(QStringLiteral("/run/sshd")))
            return fail(error, QStringLiteral("cannot create /run/sshd"));
        for (const QString &key : {hostKey(), clientKey()}) {
            QString output;
            if (run(QStringLiteral("ssh-keygen"),
                    {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                     QStringLiteral("-N"), QString(), QStringLiteral("-C"), QStringLiteral("test"),
                     QStringLiteral("-f"), key},
                    &output)
                != 0)
                return fail(error, QStringLiteral("ssh-keygen failed: ") + output);
        }
        if (!QFile::copy(clientKey() + QStringLiteral(".pub"), authorizedKeys()))
            return fail(error, QStringLiteral("cannot write authorized_keys"));
        // The port is free when probed and taken by sshd a moment later: another test may win
        // it in between, so a bind failure is tried again on another port.
        QString log;
        for (int attempt = 0; attempt < 5; ++attempt) {
            if (listen(&log))
                return true;
        }
        return fail(error, QStringLiteral("sshd did not listen: ") + log);
    }

    int port() const { return m_port; }
    QString user() const { return m_user; }

    // The argv of an ssh to this server, before the remote command.
    QStringList sshCommand() const
    {
        return {QStringLiteral("ssh"),
                QStringLiteral("-F"),
                QStringLiteral("/dev/null"),
                QStringLiteral("-i"),
                clientKey(),
                QStringLiteral("-p"),
                QString::number(m_port),
                QStringLiteral("-o"),
                QStringLiteral("IdentitiesOnly=yes"),
                QStringLiteral("-o"),
                QStringLiteral("StrictHostKeyChecking=no"),
                QStringLiteral("-o"),
                QStringLiteral("UserKnownHostsFile=/dev/null"),
                QStringLiteral("-o"),
                QStringLiteral("BatchMode=yes"),
                QStringLiteral("-o"),
                QStringLiteral("LogLevel=ERROR"),
                m_user + QStringLiteral("@127.0.0.1")};
    }

    // A remote command line that the login shell on the far side splits back into arguments.
    static QString remoteCommand(const QStringList &arguments)
    {
        QStringList quoted;
        for (QString argument : arguments)
            quoted << u'\'' + argument.replace(u'\'', QStringLiteral("'\\''")) + u'\'';
        return quoted.join(u' ');
    }

    // What sshd said on stderr (-e), for a failure message.
    QString log() { return QString::fromLocal8Bit(m_log += m_sshd.readAll()); }

private:
    QString hostKey() const { return m_dir.filePath(QStringLiteral("host_key")); }
    QString clientKey() const { return m_dir.filePath(QStringLiteral("client_key")); }
    QString authorizedKeys() const { return m_dir.filePath(QStringLiteral("authorized_keys")); }

    static bool fail(QString *error, const QString &text)
    {
        if (error)
            *error = text;
        return false;
    }

    static int run(const QString &program, const QStringList &arguments, QString *output)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(program, arguments);
        if (!process.waitForFinished(30000))
            return -1;
        *output = QString::fromLocal8Bit(process.readAll());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    bool listen(QString *log)
    {
        {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0))
                return false;
            m_port = probe.serverPort();
        }
        const QString config = m_dir.filePath(QStringLiteral("sshd_config"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        const QString text = QStringLiteral("Port %1\n"
                                            "ListenAddress 127.0.0.1\n"
                                            "HostKey %2\n"
                                            "AuthorizedKeysFile %3\n"
                                            "AllowUsers %4\n"
                                            "PermitRootLogin prohibit-password\n"
                                            "PubkeyAuthentication yes\n"
                                            "PasswordAuthentication no\n"
                                            "KbdInteractiveAuthentication no\n"
                                            "StrictModes no\n"
                                            "UsePAM no\n"
                                            "PidFile none\n"
                                            "LogLevel INFO\n")
                                 .arg(m_port)
                                 .arg(hostKey(), authorizedKeys(), m_user);
        file.write(text.toLocal8Bit());
        file.close();
        m_log.clear();
        m_sshd.setProcessChannelMode(QProcess::MergedChannels);
        m_sshd.setStandardInputFile(QProcess::nullDevice());
        m_sshd.start(QLatin1String(kSshd),
                     {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config});
        if (!m_sshd.waitForStarted(5000))
            return false;
        // Said once bound; a bind failure ends sshd instead.
        const QByteArray listening
            = QStringLiteral("Server listening on 127.0.0.1 port %1").arg(m_port).toLatin1();
        while (!m_log.contains(listening)) {
            if (!m_sshd.waitForReadyRead(10000)) {
                m_log += m_sshd.readAll();
                *log = QString::fromLocal8Bit(m_log);
                if (m_sshd.state() != QProcess::NotRunning) {
                    m_sshd.kill();
                    m_sshd.waitForFinished(5000);
                }
                return false;
            }
            m_log += m_sshd.readAll();
        }
        return true;
    }

    QTemporaryDir m_dir;
    QProcess m_sshd;
    QByteArray m_log;
    QString m_user;
    int m_port = 0;
};
