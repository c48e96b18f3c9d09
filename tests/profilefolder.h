#pragma once

// The fixture of the tests that run the shard-manager binary on profile files: a temporary folder
// holding an (empty) bot.lua, and profiles written there from one set of defaults (fakeshard as
// the interpreter, a free IPC port, no waiting, no restarts, silent, a 5 s stop timeout), which
// a suite overrides once and each test again.

#include "processutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

class ProfileFolder
{
public:
    explicit ProfileFolder(const QJsonObject &suiteDefaults = {})
        : m_suiteDefaults(suiteDefaults)
    {
        QFile bot(m_dir.filePath(QStringLiteral("bot.lua")));
        m_valid = m_dir.isValid() && bot.open(QIODevice::WriteOnly);
    }

    bool isValid() const { return m_valid; }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // The defaults, then the suite's, then overrides; a fresh free port each time.
    QJsonObject profile(const QJsonObject &overrides = {}) const
    {
        QJsonObject o{{QStringLiteral("file"), QStringLiteral("bot.lua")},
                      {QStringLiteral("interpreter"), QStringLiteral(FAKESHARD_PATH)},
                      {QStringLiteral("port"), ProcessUtil::freePort()},
                      {QStringLiteral("interpreterArgs"), QJsonArray{QStringLiteral("--run")}},
                      {QStringLiteral("maxShards"), 2},
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

    // Writes profile(overrides), or raw as it is when given, to a new file; returns its path.
    QString write(const QJsonObject &overrides, const QByteArray &raw = QByteArray())
    {
        const QString path = m_dir.filePath(QStringLiteral("profile-%1.json").arg(++m_count));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(raw.isEmpty() ? QJsonDocument(profile(overrides)).toJson() : raw);
        return path;
    }

private:
    QTemporaryDir m_dir;
    QJsonObject m_suiteDefaults;
    bool m_valid = false;
    int m_count = 0;
};
