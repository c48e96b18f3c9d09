#include "secrets/secretbackend.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace {

template<typename Job> Job *prepare(const QString &key, QObject *parent)
{
    auto *job = new Job(KeychainBackend::serviceName(), parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never the token in a plain-text settings file
    job->setKey(key);
    return job;
}

} // namespace

KeychainBackend::KeychainBackend(QObject *parent)
    : SecretBackend(parent)
{
}

SecretBackend::Result KeychainBackend::resultOf(int keychainError, const QString &message)
{
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoError: return Result::Ok;
    case QKeychain::EntryNotFound: return Result::NotFound;
    case QKeychain::AccessDeniedByUser: return Result::Cancelled;
    case QKeychain::AccessDenied: return Result::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return Result::Unavailable;
    case QKeychain::OtherError:
        // A dismissed unlock prompt comes back as OtherError with the keyring's words
        // ("Cancelled by user", "prompt dismissed"): that is the user's choice, not a
        // missing keychain.
        if (message.contains(u"cancel"_s, Qt::CaseInsensitive)
            || message.contains(u"dismiss"_s, Qt::CaseInsensitive))
            return Result::Cancelled;
        // Without a desktop session (no D-Bus, no Secret Service) it is OtherError too: to
        // the user that is "no keychain", not a mysterious failure.
        return Result::Unavailable;
    case QKeychain::CouldNotDeleteEntry: break;
    }
    return Result::Failed;
}

QString KeychainBackend::serviceName()
{
    return u"shard-manager"_s;
}

void KeychainBackend::read(const QString &key)
{
    auto *job = prepare<QKeychain::ReadPasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        emit readFinished(key, resultOf(job->error(), job->errorString()),
                          job->error() ? QString() : job->textData(), job->errorString());
    });
    job->start();
}

void KeychainBackend::write(const QString &key, const QString &secret)
{
    auto *job = prepare<QKeychain::WritePasswordJob>(key, this);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        emit writeFinished(key, resultOf(job->error(), job->errorString()), job->errorString());
    });
    job->start();
}

void KeychainBackend::remove(const QString &key)
{
    auto *job = prepare<QKeychain::DeletePasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        // Removing what is not there leaves the wanted state: no token.
        const Result r = job->error() == QKeychain::EntryNotFound
            ? Result::Ok
            : resultOf(job->error(), job->errorString());
        emit removeFinished(key, r, job->errorString());
    });
    job->start();
}
