#pragma once

#include <QString>

// Starts the window (QApplication) on profile, or the last one when empty, and starts its
// processes when start is set (main has read the command line). Returns the exit code.
int runWindow(int argc, char **argv, const QString &profile, bool start);
