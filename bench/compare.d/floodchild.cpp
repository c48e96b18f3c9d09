// floodchild: the child of bench/compare's flood, the same program under every system.
//   floodchild [<file> <port> <first> <last> <max>] ID LINES [DONE_DIR]
// Only the last two or three arguments count (the manager puts the child contract's five in
// front of them; PM2 and the floor pass them alone); under our manager the ID is SHARDER_PROCESS.
// Prints LINES numbered lines of exactly 80 bytes, "flood <ID> <n> xxx...\n" with n = 1..LINES, as
// fast as the pipe takes them (64 KiB writes, retried on EINTR/EAGAIN), then, when DONE_DIR is
// given, creates DONE_DIR/<ID> so that the harness knows this child has written everything without
// watching its exit.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

enum { LINE = 80, CHUNK = 64 * 1024 / LINE * LINE };

static void writeAll(const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = write(1, data, size);
        if (n < 0 && errno == EAGAIN) { // a non-blocking pipe: wait until it takes more
            struct pollfd p = {1, POLLOUT, 0};
            poll(&p, 1, 100);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            exit(74); // the reader is gone: nothing more to measure
        data += n;
        size -= size_t(n);
    }
}

int main(int argc, char **argv)
{
    // DONE_DIR is recognised by its leading '/': the harness always passes an absolute path.
    const int hasDone = argc >= 4 && argv[argc - 1][0] == '/';
    const int base = argc - (hasDone ? 3 : 2);
    if (base < 1) {
        fprintf(stderr, "usage: floodchild [contract args] ID LINES [DONE_DIR]\n");
        return 64;
    }
    const char *process = getenv("SHARDER_PROCESS");
    const char *id = process ? process : argv[base];
    const long lines = atol(argv[base + 1]);
    static char buffer[CHUNK];
    size_t used = 0;
    for (long n = 1; n <= lines; ++n) {
        char *line = buffer + used;
        const int head = snprintf(line, LINE, "flood %s %ld ", id, n);
        memset(line + head, 'x', LINE - 1 - head);
        line[LINE - 1] = '\n';
        used += LINE;
        if (used == CHUNK) {
            writeAll(buffer, used);
            used = 0;
        }
    }
    writeAll(buffer, used);
    if (hasDone) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[argc - 1], id);
        const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0)
            close(fd);
    }
    return 0;
}
