#pragma once

#include "platform/guardian.h"

// Starts the window (QApplication) on the profile named in argv, if any. Returns the exit code.
// guardian says, once the application exists, how this program runs as the guardian.
int runWindow(int argc, char **argv, GuardianCommand (*guardian)());
