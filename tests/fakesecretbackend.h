#pragma once

// The test stand-in for the OS keychain: entries in memory, answers on the next turn of the event
// loop as a real keychain does, and can be told to fail every call.

#include "secrets/secretbackend.h"

#include <QHash>
#include <QTimer>

using namespace Qt::StringLiterals;

// Answers on the next turn of the event loop, as a real keychain does.
class FakeSecretBackend : public SecretBackend {
public:
    QHash<QString, QString> entries;
    Result forced = Result::Ok; // Ok: behave; anything else: fail every call with it

    void read(const QString &key) override
    {
        QTimer::singleShot(0, this, [this, key] {
            if (forced != Result::Ok)
                return emit readFinished(key, forced, QString(), u"no org.freedesktop.secrets"_s);
            emit readFinished(key, entries.contains(key) ? Result::Ok : Result::NotFound,
                              entries.value(key), QString());
        });
    }
    void write(const QString &key, const QString &secret) override
    {
        QTimer::singleShot(0, this, [this, key, secret] {
            if (forced == Result::Ok)
                entries.insert(key, secret);
            emit writeFinished(key, forced, forced == Result::Ok ? QString() : u"denied"_s);
        });
    }
    void remove(const QString &key) override
    {
        QTimer::singleShot(0, this, [this, key] {
            if (forced == Result::Ok)
                entries.remove(key);
            emit removeFinished(key, forced, QString());
        });
    }
};
