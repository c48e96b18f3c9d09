#pragma once

#include <QByteArray>
#include <QString>

namespace Ansi {
// Removes ANSI escape sequences (CSI such as colours, OSC such as titles) for plain-text sinks.
QString strip(const QString &text);
bool contains(const QString &text);
}
