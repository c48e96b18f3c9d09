#pragma once

#include <QString>

struct GuardianCommand;

// What main has read of the command line for the window.
struct WindowStart {
    QString profile; // empty: the last profile
    bool start = false; // start all processes once the profile is open
    QString attach; // a remote service: ssh://[user@]host[:port]/path
    QString attachCommand; // or a command that runs shard-manager --control there
    // Asked once the application exists: how this program runs as the guardian.
    GuardianCommand (*guardian)() = nullptr;
};

// Starts the window (QApplication) on the profile, or the last one. Returns the exit code.
int runWindow(int argc, char **argv, const WindowStart &request);
