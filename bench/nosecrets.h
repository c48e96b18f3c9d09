#pragma once

// No keychain in a bench: every profile is without a token.

#include "secrets/secretbackend.h"

#include <QTimer>

class NoSecrets : public SecretBackend {
public:
    void read(const QString &key) override
    {
        later([this, key] { emit readFinished(key, Result::NotFound, {}, {}); });
    }
    void write(const QString &key, const QString &) override
    {
        later([this, key] { emit writeFinished(key, Result::Denied, {}); });
    }
    void remove(const QString &key) override
    {
        later([this, key] { emit removeFinished(key, Result::Ok, {}); });
    }

private:
    // Later, as a real keychain answers.
    template<typename F> void later(F f) { QTimer::singleShot(0, this, f); }
};
