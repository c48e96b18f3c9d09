#include "gui.h"

#include <cstdio>

int runWindow(int, char **)
{
    std::fputs("shard-manager: the window is not part of this build yet; run a profile with\n"
               "  shard-manager --headless PROFILE\n", stderr);
    return 64;
}
