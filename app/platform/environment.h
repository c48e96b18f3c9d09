#pragma once

#include <QByteArray>

// The manager's own environment, where it holds a secret. Unsetting a variable only takes it out
// of the `environ` array: the bytes the process started with stay where the system shows them
// (/proc/<pid>/environ, `ps eww`). One file per platform implements it (environment_unix.cpp).
namespace Environment {

// Returns the value of the variable name (empty when unset), then removes it from the environment
// and overwrites every copy of its value in the block the process started with.
QByteArray take(const char *name);

} // namespace Environment
