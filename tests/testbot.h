#pragma once

// A temporary folder holding a bot file, and profiles that run the fakeshard helper on it: what
// every engine-level test starts from.

#include "processutil.h"
#include "profile/profile.h"

#include <QFile>
#include <QTemporaryDir>

class TestBot
{
public:
    TestBot()
    {
        QFile bot(m_dir.filePath(QStringLiteral("bot.lua")));
        m_valid = m_dir.isValid() && bot.open(QIODevice::WriteOnly);
    }

    bool isValid() const { return m_valid; }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QString path() const { return m_dir.path(); }

    // fakeshard with these behaviours, maxShards shards one per process, started together, no
    // restarts, silent, a free IPC port, and a Discord API that refuses at once.
    Profile profile(const QStringList &behaviours, int maxShards = 1) const
    {
        Profile p;
        p.baseDirectory = m_dir.path();
        p.file = QStringLiteral("bot.lua");
        p.interpreter = QStringLiteral(FAKESHARD_PATH);
        p.interpreterArgs = behaviours;
        p.port = ProcessUtil::freePort();
        p.maxShards = maxShards;
        p.shardsPerProcess = 1;
        p.waitTime = 0;
        p.silent = true;
        p.autoRestart = false;
        p.stopTimeout = 5000;
        p.discordApi = QStringLiteral("http://127.0.0.1:1/api");
        return p;
    }

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};
