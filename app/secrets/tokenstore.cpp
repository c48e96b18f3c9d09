#include "secrets/tokenstore.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

TokenStore::TokenStore(SecretBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    connect(backend, &SecretBackend::readFinished, this, &TokenStore::onRead);
    connect(backend, &SecretBackend::writeFinished, this, &TokenStore::onWritten);
    connect(backend, &SecretBackend::removeFinished, this, &TokenStore::onRemoved);
}

QString TokenStore::keyFor(const QString &profilePath)
{
    return u"token:"_s + QFileInfo(profilePath).absoluteFilePath();
}

QString TokenStore::statusText(Status status)
{
    switch (status) {
    case Status::Unknown: return tr("no profile file");
    case Status::Loading: return tr("reading the keychain…");
    case Status::Stored: return tr("stored in the keychain");
    case Status::None: return tr("none");
    case Status::Unavailable: return tr("no keychain");
    case Status::Cancelled: return tr("not read: the keychain prompt was cancelled");
    case Status::Error: return tr("keychain error");
    }
    return QString();
}

QString TokenStore::unavailableAdvice()
{
    return tr("No keychain (Secret Service) is available. On a desktop, install and unlock "
              "gnome-keyring or KWallet (Debian: apt install gnome-keyring libsecret-1-0). On a "
              "server, run headless with --token-file FILE (systemd's LoadCredential=) or "
              "--token-from-env VAR. Shard Manager never writes the token to a file.");
}

void TokenStore::setStatus(Status status, const QString &message)
{
    m_message = message;
    m_status = status;
    emit statusChanged(status);
}

void TokenStore::load(const QString &profilePath)
{
    m_profilePath = profilePath;
    if (!m_token.isEmpty()) {
        m_token.clear();
        emit tokenChanged(m_token);
    }
    if (profilePath.isEmpty()) {
        setStatus(Status::Unknown,
                  tr("Save the profile first: the token is kept per profile file."));
        return;
    }
    setStatus(Status::Loading);
    m_backend->read(keyFor(profilePath));
}

void TokenStore::store(const QString &token)
{
    if (m_profilePath.isEmpty()) {
        setStatus(Status::Unknown,
                  tr("Save the profile first: the token is kept per profile file."));
        return;
    }
    m_pending = token.trimmed();
    setStatus(Status::Loading);
    m_backend->write(keyFor(m_profilePath), m_pending);
}

void TokenStore::remove()
{
    if (m_profilePath.isEmpty())
        return;
    setStatus(Status::Loading);
    m_backend->remove(keyFor(m_profilePath));
}

TokenStore::Status TokenStore::failureStatus(SecretBackend::Result result, const QString &message,
                                             QString *text) const
{
    switch (result) {
    case SecretBackend::Result::Unavailable:
        // The advice first; the keychain's own words (often a raw D-Bus error) only as detail.
        *text = unavailableAdvice();
        if (!message.isEmpty())
            *text += u"\n"_s + tr("Details: %1").arg(message);
        return Status::Unavailable;
    case SecretBackend::Result::Cancelled:
        *text = tr("The keychain prompt was cancelled. Reopen the profile (or Set Token…) to be "
                   "asked again.");
        return Status::Cancelled;
    case SecretBackend::Result::Denied:
        *text = tr("The keychain refused access: %1").arg(message);
        return Status::Error;
    default: *text = tr("The keychain failed: %1").arg(message); return Status::Error;
    }
}

void TokenStore::onRead(const QString &key, SecretBackend::Result result, const QString &secret,
                        const QString &message)
{
    if (key != keyFor(m_profilePath))
        return; // an answer for a profile no longer open
    if (result == SecretBackend::Result::Ok && !secret.isEmpty()) {
        m_token = secret;
        emit tokenChanged(m_token);
        setStatus(Status::Stored);
    } else if (result == SecretBackend::Result::Ok || result == SecretBackend::Result::NotFound) {
        setStatus(Status::None);
    } else {
        QString text;
        const Status status = failureStatus(result, message, &text);
        setStatus(status, text);
    }
}

void TokenStore::onWritten(const QString &key, SecretBackend::Result result, const QString &message)
{
    if (key != keyFor(m_profilePath))
        return;
    if (result == SecretBackend::Result::Ok) {
        m_token = m_pending;
        m_pending.clear();
        emit tokenChanged(m_token);
        setStatus(Status::Stored);
        return;
    }
    m_pending.clear();
    if (result == SecretBackend::Result::Cancelled) {
        // Nothing changed in the keychain: the token there (or none) still holds.
        setStatus(m_token.isEmpty() ? Status::None : Status::Stored,
                  tr("Cancelled at the keychain prompt: the token was not saved."));
        return;
    }
    QString text;
    const Status status = failureStatus(result, message, &text);
    setStatus(status, text);
}

void TokenStore::onRemoved(const QString &key, SecretBackend::Result result, const QString &message)
{
    if (key != keyFor(m_profilePath))
        return;
    if (result == SecretBackend::Result::Ok) {
        m_token.clear();
        emit tokenChanged(m_token);
        setStatus(Status::None);
        return;
    }
    if (result == SecretBackend::Result::Cancelled) {
        setStatus(m_token.isEmpty() ? Status::None : Status::Stored,
                  tr("Cancelled at the keychain prompt: the token was not removed."));
        return;
    }
    QString text;
    const Status status = failureStatus(result, message, &text);
    setStatus(status, text);
}
