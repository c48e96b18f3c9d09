#pragma once

#include <QString>
#include <QtGlobal>

// Writing to an open file with the OS's own account of a refusal. QFile reports a write that
// went through in part and then failed as "Unknown error", and hides how much went through;
// the log file needs both. One file per platform implements it (filewrite_unix.cpp today).
namespace FileWrite {

struct Result {
    qint64 written = 0; // bytes the file took, possibly fewer than asked
    int error = 0; // the OS error that stopped the write; 0 when everything went through
};

// Writes data to descriptor, going on after partial writes until all of it is written or the
// OS refuses the rest.
Result write(int descriptor, const char *data, qint64 size);

// The OS's text for an error of write() ("No space left on device").
QString errorText(int error);

// By default a process that writes past its file size limit (RLIMIT_FSIZE) is killed; the
// manager would rather see the write fail and report it. Children get the default back
// (ProcessControl::prepare).
void surviveFileSizeLimit();

} // namespace FileWrite
