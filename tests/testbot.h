#pragma once

// A temporary folder holding a bot file, and profiles that run the fakeshard helper on it: what
// every test that runs shards starts from. One set of defaults (fakeshard as the interpreter, a
// free IPC port, no waiting, no restarts, silent, a 5 s stop timeout, a Discord API that refuses
// at once: never the real Discord from a test), which a suite overrides once and each test
// again; as a Profile for the engine-level tests, or as a file for those that run the binary or
// open it in the window.

#include "processutil.h"
#include "profile/profile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

class TestBot {
public:
    explicit TestBot(const QJsonObject &suiteDefaults = {})
        : m_suiteDefaults(suiteDefaults)
    {
        QFile bot(m_dir.filePath(QStringLiteral("bot.lua")));
        m_valid = m_dir.isValid() && bot.open(QIODevice::WriteOnly);
    }

    bool isValid() const { return m_valid; }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QString path() const { return m_dir.path(); }

    // The profile as JSON: the defaults, then the suite's, then overrides; a fresh free port.
    QJsonObject json(const QJsonObject &overrides = {}) const
    {
        QJsonObject o {{QStringLiteral("file"), QStringLiteral("bot.lua")},
                       {QStringLiteral("interpreter"), QStringLiteral(FAKESHARD_PATH)},
                       {QStringLiteral("port"), ProcessUtil::freePort()},
                       {QStringLiteral("discordApi"), QStringLiteral("http://127.0.0.1:1/api")},
                       {QStringLiteral("interpreterArgs"), QJsonArray {QStringLiteral("--run")}},
                       {QStringLiteral("maxShards"), 2},
                       {QStringLiteral("shardsPerProcess"), 1},
                       {QStringLiteral("waitTime"), 0},
                       {QStringLiteral("autoRestart"), false},
                       {QStringLiteral("silent"), true},
                       {QStringLiteral("stopTimeout"), 5000}};
        for (const QJsonObject &layer : {m_suiteDefaults, overrides}) {
            for (auto it = layer.begin(); it != layer.end(); ++it)
                o.insert(it.key(), it.value());
        }
        return o;
    }

    // json(overrides), or raw as it is when given, written to a new file; returns its path.
    QString write(const QJsonObject &overrides, const QByteArray &raw = QByteArray())
    {
        const QString path = m_dir.filePath(QStringLiteral("profile-%1.json").arg(++m_written));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(raw.isEmpty() ? QJsonDocument(json(overrides)).toJson() : raw);
        return path;
    }

    // fakeshard with these behaviours, maxShards shards one per process, as a Profile.
    Profile profile(const QStringList &behaviours, int maxShards = 1) const
    {
        const QJsonObject o
            = json({{QStringLiteral("interpreterArgs"), QJsonArray::fromStringList(behaviours)},
                    {QStringLiteral("maxShards"), maxShards}});
        QList<ProfileError> errors;
        const Profile p = Profile::fromJson(QJsonDocument(o).toJson(), m_dir.path(), &errors);
        if (!errors.isEmpty())
            qFatal("test profile does not parse: %s", qPrintable(errors.first().toString()));
        return p;
    }

private:
    QTemporaryDir m_dir;
    QJsonObject m_suiteDefaults;
    bool m_valid = false;
    int m_written = 0;
};
