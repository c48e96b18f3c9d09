#pragma once

#include <QtGlobal>

// How much command line and environment the system lets a program start with: beyond these,
// starting a shard process fails ("Argument list too long") however often it is tried. One
// file per platform (execlimits_unix.cpp today; Windows caps the command line instead).
namespace ExecLimits {

struct Limits {
    qint64 total = -1; // every string with its terminator and pointer, together; -1: unknown
    qint64 single = -1; // one string with its terminator; -1: no limit of its own
};

Limits current();

// What a string of this many bytes takes from Limits::total.
qint64 cost(qint64 bytes);

} // namespace ExecLimits
