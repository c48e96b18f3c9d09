#pragma once

#include <QString>

struct ExitInfo;

// How a process's end reads for people, the same in the window's notices, the tray and the
// headless status lines: "exit code 3", "SIGSEGV, restarting in 2.0 s".
namespace ExitText {

QString outcome(const ExitInfo &info);

} // namespace ExitText
