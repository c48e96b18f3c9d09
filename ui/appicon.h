#pragma once

#include <QIcon>

// The application icon, and the same with a status dot for the tray.
namespace AppIcon {
enum Status { Idle, Running, Trouble };
QIcon application();
QIcon withStatus(Status status);
} // namespace AppIcon
