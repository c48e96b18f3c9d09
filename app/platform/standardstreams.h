#pragma once

class QFile;

// The manager's own standard output, where a port differs: whether it is a terminal, and
// writing to it past stdio's buffer. One file per platform implements it
// (standardstreams_unix.cpp); reading standard input is StdinReader.
namespace StandardStreams {

// Whether stdout is a terminal (the console echo keeps colours only then).
bool outputIsTerminal();

// Opens file on stdout's descriptor, unbuffered: stdio would hold lines back while stdout is a
// pipe, and a reader of JSON events waits for each as it happens.
bool openOutput(QFile *file);

} // namespace StandardStreams
