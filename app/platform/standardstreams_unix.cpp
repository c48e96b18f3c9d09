#include "platform/standardstreams.h"

#include <QFile>

#include <unistd.h>

bool StandardStreams::outputIsTerminal()
{
    return isatty(STDOUT_FILENO) == 1;
}

bool StandardStreams::openOutput(QFile *file)
{
    return file->open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered);
}
