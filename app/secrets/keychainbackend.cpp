#include "secrets/secretbackend.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace {

SecretBackend::Result resultOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError: return SecretBackend::Result::Ok;
    case QKeychain::EntryNotFound: return SecretBackend::Result::NotFound;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied: return SecretBackend::Result::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return SecretBackend::Result::Unavailable;
    // Without a desktop session QtKeychain reports OtherError (no D-Bus, no Secret Service):
    // to the user that is "no keychain", not a mysterious failure.
    case QKeychain::OtherError: return SecretBackend::Result::Unavailable;
    case QKeychain::CouldNotDeleteEntry: break;
    }
    return SecretBackend::Result::Failed;
}

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

QString KeychainBackend::serviceName()
{
    return u"shard-manager"_s;
}

void KeychainBackend::read(const QString &key)
{
    auto *job = prepare<QKeychain::ReadPasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        emit readFinished(key, resultOf(job->error()), job->error() ? QString() : job->textData(),
                          job->errorString());
    });
    job->start();
}

void KeychainBackend::write(const QString &key, const QString &secret)
{
    auto *job = prepare<QKeychain::WritePasswordJob>(key, this);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        emit writeFinished(key, resultOf(job->error()), job->errorString());
    });
    job->start();
}

void KeychainBackend::remove(const QString &key)
{
    auto *job = prepare<QKeychain::DeletePasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        // Removing what is not there leaves the wanted state: no token.
        const Result r
            = job->error() == QKeychain::EntryNotFound ? Result::Ok : resultOf(job->error());
        emit removeFinished(key, r, job->errorString());
    });
    job->start();
}
