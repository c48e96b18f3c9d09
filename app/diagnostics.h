#pragma once

#include <QLoggingCategory>

// One logging category per part, for bug reports: their debug lines are off unless asked for,
// e.g. QT_LOGGING_RULES="shardmanager.*=true" (README "Troubleshooting"). They say what the
// manager decided and why (a process started, exited, was killed or restarted; an IPC connection
// accepted or refused; Discord asked; the log file opened). Never the token, and never a
// child's output line: those belong to the panes and the log file, redacted.
Q_DECLARE_LOGGING_CATEGORY(lcProcess) // shardmanager.process: start, exit, stop, kill
Q_DECLARE_LOGGING_CATEGORY(lcIpc) // shardmanager.ipc: connections accepted, refused, dropped
Q_DECLARE_LOGGING_CATEGORY(lcDiscord) // shardmanager.discord: gateway requests and answers
Q_DECLARE_LOGGING_CATEGORY(lcOutput) // shardmanager.output: log file, console echo
Q_DECLARE_LOGGING_CATEGORY(lcEngine) // shardmanager.engine: sessions, restart policies
Q_DECLARE_LOGGING_CATEGORY(lcProfile) // shardmanager.profile: profiles loaded, refused
Q_DECLARE_LOGGING_CATEGORY(lcUi) // shardmanager.ui: what the window was asked to do
Q_DECLARE_LOGGING_CATEGORY(lcControl) // shardmanager.control: control clients, refused peers
Q_DECLARE_LOGGING_CATEGORY(lcHeadless) // shardmanager.headless: signals, stdin, token source
