#pragma once

// Profiles the profile tests share: one with every key away from its default.

#include "profile/profile.h"

namespace ProfileSamples {

// Every key changed, each value inside what the editor's field takes, so a key that is not
// saved, loaded or shown comes back as its default and shows.
inline Profile everyKeyChanged()
{
    using namespace Qt::StringLiterals;
    Profile p;
    p.file = u"bot.lua"_s;
    p.interpreter = u"node"_s;
    p.interpreterArgs = {u"--max-old-space-size=4096"_s, u"x y"_s};
    p.workingDirectory = u"work"_s;
    p.port = 4000;
    p.host = u"0.0.0.0"_s;
    p.maxShards = 24;
    p.shardsPerProcess = 4;
    p.waitTime = 5000;
    p.arguments = {u"--prod"_s, QString(), u"ünïcode"_s};
    p.autoRestart = false;
    p.silent = true;
    p.logFile = u"logs/bot.log"_s;
    p.timestamp = u"%H:%M"_s;
    p.tokenEnv = u"BOT_TOKEN"_s;
    p.stopTimeout = 3000;
    p.restartDelay = 250;
    p.restartDelayMax = 8000;
    p.maxRestarts = 9;
    p.restartWindow = 120000;
    p.ipcAccept = Profile::IpcAccept::Any;
    p.discordApi = u"http://127.0.0.1:9999/api"_s;
    p.memoryWarn = 1234567891; // not a whole number of the form's megabytes
    p.memoryLimit = 2147483648;
    p.memoryRestart = true;
    return p;
}

} // namespace ProfileSamples
