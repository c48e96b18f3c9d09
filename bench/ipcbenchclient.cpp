// A minimal IPC client for bench_ipc: no Qt, so the figures measure the manager, not the client.
//   ipcbenchclient PORT sink EXPECT        read lines; print "GOT <n>" when n == EXPECT, then keep
//   reading ipcbenchclient PORT source N SIZE      wait for a line "go", send N lines of SIZE
//   bytes, print "SENT" ipcbenchclient PORT stall              connect and never read
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static int connectTo(int port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        perror("connect");
        std::exit(69);
    }
    return fd;
}

static bool writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = write(fd, data, size);
        if (n <= 0)
            return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 64;
    const int fd = connectTo(std::atoi(argv[1]));
    const std::string mode = argv[2];
    std::printf("CONNECTED\n");
    std::fflush(stdout);
    static char buffer[1 << 16];
    if (mode == "sink") {
        const long expect = argc > 3 ? std::atol(argv[3]) : 0;
        long lines = 0;
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0) {
            for (ssize_t i = 0; i < n; ++i) {
                if (buffer[i] == '\n' && ++lines == expect) {
                    std::printf("GOT %ld\n", lines);
                    std::fflush(stdout);
                }
            }
        }
        return 0;
    }
    if (mode == "source" && argc > 4) {
        const long count = std::atol(argv[3]);
        const size_t size = static_cast<size_t>(std::atol(argv[4]));
        // Wait for "go" so that all sources start together.
        std::string got;
        while (got.find('\n') == std::string::npos) {
            const ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0)
                return 1;
            got.append(buffer, static_cast<size_t>(n));
        }
        std::string line(size, 'm');
        line.back() = '\n';
        std::string batch;
        for (long i = 0; i < count; ++i) {
            batch += line;
            if (batch.size() >= 64 * 1024 || i + 1 == count) {
                if (!writeAll(fd, batch.data(), batch.size()))
                    return 1;
                batch.clear();
            }
        }
        std::printf("SENT\n");
        std::fflush(stdout);
        while (read(fd, buffer, sizeof buffer) > 0) { }
        return 0;
    }
    if (mode == "stall") {
        pause();
        return 0;
    }
    return 64;
}
