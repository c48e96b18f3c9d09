#pragma once

#include "output/outputbatch.h"

#include <QString>

// Echoes child lines to the manager's own stdout (profile key `silent: false`), prefixed with the
// shard range; colours kept only when stdout is a terminal.
class ConsoleEcho {
public:
    ConsoleEcho();

    void write(int first, int last, bool isStderr, const OutputBatch &batch);

private:
    bool m_keepColours = false;
};
