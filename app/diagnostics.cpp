#include "diagnostics.h"

// QtInfoMsg: debug lines only when a rule turns them on; warnings as always.
Q_LOGGING_CATEGORY(lcProcess, "shardmanager.process", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIpc, "shardmanager.ipc", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDiscord, "shardmanager.discord", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutput, "shardmanager.output", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "shardmanager.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProfile, "shardmanager.profile", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "shardmanager.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcControl, "shardmanager.control", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHeadless, "shardmanager.headless", QtInfoMsg)
