#include "headless/tokensource.h"

#include "platform/environment.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {
// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(TokenSource)
};

// A token is under a hundred bytes; reading no more than this keeps a wrong FILE (a log, a disk
// image, /dev/zero) from filling the memory.
constexpr qint64 kMaxFileBytes = 64 * 1024;

// Where systemd's LoadCredential= puts the credentials of the service, when it runs as one.
QString credentialsDirectory()
{
    return qEnvironmentVariable("CREDENTIALS_DIRECTORY");
}
} // namespace

TokenSource::Result TokenSource::fromEnvironment(const QString &variable)
{
    Result result;
    result.origin = u"the environment variable "_s + variable;
    const QByteArray name = variable.toLocal8Bit();
    result.token = QString::fromLocal8Bit(Environment::take(name.constData())).trimmed();
    if (result.token.isEmpty())
        result.error
            = Text::tr("--token-from-env: the variable %1 is empty or not set").arg(variable);
    return result;
}

TokenSource::Result TokenSource::fromFile(const QString &file)
{
    Result result;
    QString path = file;
    QString notInCredentials;
    if (const QString credentials = credentialsDirectory();
        !credentials.isEmpty() && QDir::isRelativePath(file)) {
        const QString candidate = QDir(credentials).filePath(file);
        if (QFileInfo::exists(candidate))
            path = candidate;
        else
            notInCredentials = candidate;
    }
    // Absolute in every text: a service's working directory is rarely the one its operator
    // thinks of.
    path = QFileInfo(path).absoluteFilePath();
    result.origin = u"the file "_s + path;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        result.error = notInCredentials.isEmpty()
            ? Text::tr("--token-file: cannot read %1: %2").arg(path, f.errorString())
            : Text::tr("--token-file: cannot read %1: %2 (nor is there %3)")
                  .arg(path, f.errorString(), notInCredentials);
        return result;
    }
    QByteArray bytes = f.read(kMaxFileBytes + 1);
    if (f.error() != QFileDevice::NoError) {
        result.error = Text::tr("--token-file: cannot read %1: %2").arg(path, f.errorString());
    } else if (bytes.size() > kMaxFileBytes) {
        result.error = Text::tr("--token-file: %1 is larger than %2 KiB: not a token file")
                           .arg(path)
                           .arg(kMaxFileBytes / 1024);
    } else {
        result.token = QString::fromUtf8(bytes).trimmed();
        if (result.token.isEmpty())
            result.error = Text::tr("--token-file: %1 is empty").arg(path);
    }
    bytes.fill('\0'); // the token stays in one place only: the engine
    if (!result.error.isEmpty()) {
        result.token.clear();
        return result;
    }
    constexpr QFileDevice::Permissions othersRead = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (f.permissions() & othersRead)
        result.warning = Text::tr("--token-file: other users than its owner may read %1: "
                                  "chmod 600 it, or hand it over with systemd's LoadCredential=")
                             .arg(path);
    return result;
}
