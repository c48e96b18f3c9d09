#pragma once

// Starts the window (QApplication) on the profile named in argv, if any. Returns the exit code.
int runWindow(int argc, char **argv);
