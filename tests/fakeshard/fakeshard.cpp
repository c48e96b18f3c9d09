// fakeshard — a scriptable child process for Shard Manager's tests.
//
// The manager uses it as the *interpreter*:
//   fakeshard [--behaviour[=value]...] <file> <port> <first> <last> <max> [arguments...]
// Options come first; the first argument not starting with "--" is <file>, everything after it
// is positional. All options are checked before any runs (unknown option: exit 64). Behaviours
// then run in the order given; the program exits 0 afterwards unless a behaviour says otherwise.
//
//   --print-args          ARGV <json array of every argv string, argv[0] included>
//   --print-env=A,B,...   per name: "ENV A=value", or "ENV A unset" when unset
//   --print=TEXT          TEXT on stdout            --stderr=TEXT   TEXT on stderr
//   --lines=N             "line 1".."line N" on stdout, buffered in big writes
//   --stderr-lines=N      "err 1".."err N" on stderr, same way
//   --pid-lines=N         "<pid> 1".."<pid> N" on stdout, the same way: each incarnation of a
//                         restarted process numbers its own lines (fault tests check each run)
//   --rate=LINES_PER_SEC  pace the --lines, --pid-lines and --stderr-lines that follow: a batch
//                         every 10 ms, on schedule from the first (0: as fast as possible, the
//                         default)
//   --partial=TEXT        TEXT without a newline    --crlf=TEXT     TEXT followed by \r\n
//   --big=BYTES           one line of BYTES 'x' characters, written fully
//   --sleep=MS            sleep MS milliseconds
//   --exit=K              exit now with code K
//   --crash=SIG           raise signal SIG with its default disposition (no core file)
//   --ignore-term         ignore SIGTERM from now on; prints "IGNORING TERM"
//   --grandchild          fork a child that pause()s forever in our process group; "GRANDCHILD
//   <pid>"
//   --alloc=MIB           allocate and touch MIB MiB, keep it; "ALLOCATED <MIB>"
//   --pid                 "PID <pid>"
//   --spin=MS             keep one core busy for MS milliseconds; "SPUN <MS>"
//   --run                 stay alive until SIGTERM or SIGINT, serving the IPC socket and stdin
// SIGTERM (unless ignored) prints "TERM" and SIGINT "INT", then exit 0, whenever they arrive.
//   --ipc-connect         connect to 127.0.0.1:<port>, retrying up to 5 s while refused (else exit
//   69)
//   --ipc-hello           send "hello $SHARDER_IPC_TOKEN\n"
//   --ipc-send=TEXT       send TEXT\n               --ipc-send-raw=TEXT  send TEXT, no newline
//   --ipc-send-many=N     send "ipc 1".."ipc N", one line each, in one write
//   --ipc-echo            while running, print each received line as "IPC <line>" (implies --run)
//   --ipc-noread          while running, never read the socket (a stalled client)
//   --ipc-close           close the socket
//   --echo-stdin          while running, print each stdin line as "STDIN <line>" (implies --run)
//   --ticks=LINES_PER_SEC while running, print "tick 1", "tick 2", ... at that rate, on schedule
//                         from the start of the run, in at most 20 writes a second (implies --run)
// While running, a connection the server closes prints "IPC CLOSED" (the run goes on).
// In every TEXT, "${NAME}" is replaced by the environment variable NAME when the behaviour runs,
// so a test can make the child print its token without putting the token in argv; "${NAME:F:N}"
// by N characters of it from F ("${NAME:F}": from F to the end).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

enum class Value { None, Text, Number };
struct Behaviour {
    const char *name;
    Value value;
    void (*run)(const std::string &);
};
struct Step {
    const Behaviour *behaviour;
    std::string value;
};

std::vector<std::string> g_argv; // every argv string, argv[0] included
std::vector<std::string> g_positional; // file, port, first, last, max, arguments...
std::vector<char *> g_allocations; // kept alive by --alloc
int g_sock = -1;
long long g_rate = 0; // lines per second for --lines, 0: unpaced
int g_sigPipe[2] = {-1, -1};
volatile sig_atomic_t g_running = 0; // set once the --run loop owns signal handling
long long g_tickRate = 0; // lines per second for --ticks, 0: none
bool g_termIgnored = false, g_ipcEcho = false, g_ipcNoRead = false, g_echoStdin = false;

[[noreturn]] void fail(int code, const std::string &message)
{
    std::string text = "fakeshard: " + message + "\n";
    (void)!write(2, text.data(), text.size());
    _exit(code);
}

// Writes everything, looping over partial writes; sockets use send() so a closed peer is EPIPE.
bool writeAll(int fd, const char *data, size_t size, bool socket = false)
{
    while (size > 0) {
        ssize_t n = socket ? send(fd, data, size, MSG_NOSIGNAL) : write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                pollfd p {fd, POLLOUT, 0};
                poll(&p, 1, -1);
                continue;
            }
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}
void line(int fd, const std::string &text)
{
    std::string s = text + "\n";
    writeAll(fd, s.data(), s.size());
}
void out(const std::string &text)
{
    line(1, text);
}

long long number(const std::string &name, const std::string &text)
{
    char *end = nullptr;
    errno = 0;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < 0)
        fail(64, "option --" + name + " needs a non-negative number, got '" + text + "'");
    return v;
}

std::string jsonString(const std::string &s)
{
    std::string r = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': r += "\\\""; break;
        case '\\': r += "\\\\"; break;
        case '\n': r += "\\n"; break;
        case '\r': r += "\\r"; break;
        case '\t': r += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                r += b;
            } else
                r += char(c);
        }
    }
    return r + "\"";
}

// "${NAME}" -> the value of the environment variable NAME (empty when unset).
std::string expandEnv(const std::string &text)
{
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        const size_t open = text.find("${", i);
        const size_t close
            = open == std::string::npos ? std::string::npos : text.find('}', open + 2);
        if (close == std::string::npos) {
            out += text.substr(i);
            break;
        }
        out += text.substr(i, open - i);
        // ${NAME:FROM:LENGTH} and ${NAME:FROM}: a part of the value, as in bash.
        std::string name = text.substr(open + 2, close - open - 2);
        size_t from = 0, length = std::string::npos;
        if (const size_t colon = name.find(':'); colon != std::string::npos) {
            const std::string range = name.substr(colon + 1);
            name.resize(colon);
            from = std::strtoul(range.c_str(), nullptr, 10);
            if (const size_t second = range.find(':'); second != std::string::npos)
                length = std::strtoul(range.c_str() + second + 1, nullptr, 10);
        }
        const char *v = std::getenv(name.c_str());
        const std::string value = v ? v : "";
        out += from < value.size() ? value.substr(from, length) : std::string();
        i = close + 1;
    }
    return out;
}

// ---- behaviours -------------------------------------------------------------------------------

void printArgs(const std::string &)
{
    std::string s = "ARGV [";
    for (size_t i = 0; i < g_argv.size(); ++i)
        s += (i ? "," : "") + jsonString(g_argv[i]);
    out(s + "]");
}

void printEnv(const std::string &names)
{
    size_t start = 0;
    while (start <= names.size()) {
        size_t comma = names.find(',', start);
        if (comma == std::string::npos)
            comma = names.size();
        std::string name = names.substr(start, comma - start);
        if (!name.empty()) {
            const char *v = std::getenv(name.c_str());
            out(v ? "ENV " + name + "=" + v : "ENV " + name + " unset");
        }
        start = comma + 1;
    }
}

void print(const std::string &text)
{
    out(text);
}
void printStderr(const std::string &text)
{
    line(2, text);
}
void partial(const std::string &text)
{
    writeAll(1, text.data(), text.size());
}
void crlf(const std::string &text)
{
    std::string s = text + "\r\n";
    writeAll(1, s.data(), s.size());
}

void manyLines(int fd, const char *prefix, long long count)
{
    std::string buffer;
    buffer.reserve(1 << 17);
    if (g_rate > 0) {
        // Each batch brings the total up to what the rate allows by its tick; a reader that held
        // us back gets the backlog in the next batch, so the schedule keeps its average.
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        long long written = 0;
        for (long long tick = 1; written < count; ++tick) {
            const long long due = std::min(count, g_rate * tick / 100);
            for (; written < due; ++written) {
                buffer += prefix;
                buffer += std::to_string(written + 1);
                buffer += '\n';
            }
            writeAll(fd, buffer.data(), buffer.size());
            buffer.clear();
            if (written < count)
                std::this_thread::sleep_until(start + std::chrono::milliseconds(10 * tick));
        }
        return;
    }
    for (long long i = 1; i <= count; ++i) {
        buffer += prefix;
        buffer += std::to_string(i);
        buffer += '\n';
        if (buffer.size() >= (1 << 16)) {
            writeAll(fd, buffer.data(), buffer.size());
            buffer.clear();
        }
    }
    writeAll(fd, buffer.data(), buffer.size());
}
void lines(const std::string &n)
{
    manyLines(1, "line ", number("lines", n));
}
void pidLines(const std::string &n)
{
    const std::string prefix = std::to_string(getpid()) + " ";
    manyLines(1, prefix.c_str(), number("pid-lines", n));
}
void stderrLines(const std::string &n)
{
    manyLines(2, "err ", number("stderr-lines", n));
}
void rate(const std::string &n)
{
    g_rate = number("rate", n);
}

void big(const std::string &n)
{
    std::string s(size_t(number("big", n)), 'x');
    s += '\n';
    writeAll(1, s.data(), s.size());
}

void sleepMs(const std::string &ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(number("sleep", ms)));
}

void exitWith(const std::string &code)
{
    _exit(int(number("exit", code)));
}

void crash(const std::string &sig)
{
    int s = int(number("crash", sig));
    rlimit noCore {0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    signal(s, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, s);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(s);
    fail(70, "signal " + sig + " did not end the process");
}

void ignoreTerm(const std::string &)
{
    signal(SIGTERM, SIG_IGN);
    g_termIgnored = true;
    out("IGNORING TERM");
}

void grandchild(const std::string &)
{
    pid_t pid = fork();
    if (pid < 0)
        fail(71, std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
        if (g_sock >= 0)
            close(g_sock); // the connection belongs to the parent
        if (!g_termIgnored)
            signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        for (;;)
            pause();
    }
    out("GRANDCHILD " + std::to_string(pid));
}

void alloc(const std::string &mib)
{
    size_t size = size_t(number("alloc", mib)) << 20;
    char *p = static_cast<char *>(std::malloc(size ? size : 1));
    if (!p)
        fail(71, "cannot allocate " + mib + " MiB");
    std::memset(p, 0x5a, size);
    g_allocations.push_back(p);
    out("ALLOCATED " + mib);
}

// Keeps one core busy for MS milliseconds (CPU sampling tests).
void spin(const std::string &ms)
{
    const auto until
        = std::chrono::steady_clock::now() + std::chrono::milliseconds(number("spin", ms));
    volatile unsigned long sink = 0;
    while (std::chrono::steady_clock::now() < until)
        for (int i = 0; i < 100000; ++i)
            sink = sink + i;
    out("SPUN " + ms);
}

void printPid(const std::string &)
{
    out("PID " + std::to_string(getpid()));
}

void ipcConnect(const std::string &)
{
    if (g_positional.size() < 2)
        fail(64, "--ipc-connect needs the <port> argument");
    int port = int(number("ipc-connect port", g_positional[1]));
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (g_sock >= 0)
        close(g_sock);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        g_sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (g_sock < 0)
            fail(69, std::string("socket: ") + std::strerror(errno));
        if (connect(g_sock, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0)
            return;
        int err = errno;
        close(g_sock);
        g_sock = -1;
        if (err != ECONNREFUSED || std::chrono::steady_clock::now() >= deadline)
            fail(69,
                 "cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(err));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

void ipcSendRaw(const std::string &text)
{
    if (g_sock < 0)
        fail(64, "IPC send without a connection (use --ipc-connect first)");
    if (!writeAll(g_sock, text.data(), text.size(), true))
        line(2, std::string("fakeshard: IPC send failed: ") + std::strerror(errno));
}
void ipcSend(const std::string &text)
{
    ipcSendRaw(text + "\n");
}
void ipcSendMany(const std::string &n)
{
    std::string text;
    for (long long i = 1, count = number("ipc-send-many", n); i <= count; ++i)
        text += "ipc " + std::to_string(i) + '\n';
    ipcSendRaw(text);
}
void ipcHello(const std::string &)
{
    const char *token = std::getenv("SHARDER_IPC_TOKEN");
    ipcSend(std::string("hello ") + (token ? token : ""));
}
void ipcClose(const std::string &)
{
    if (g_sock >= 0)
        close(g_sock);
    g_sock = -1;
}
void ipcEcho(const std::string &)
{
    g_ipcEcho = true;
}
void ipcNoRead(const std::string &)
{
    g_ipcNoRead = true;
}
void echoStdin(const std::string &)
{
    g_echoStdin = true;
}
void ticks(const std::string &n)
{
    g_tickRate = number("ticks", n);
}

// ---- the --run loop ---------------------------------------------------------------------------

// Installed at startup, so a SIGTERM that comes before --run's loop still gives "TERM", exit 0.
void onSignal(int sig)
{
    int saved = errno;
    if (!g_running) {
        const char *text = sig == SIGTERM ? "TERM\n" : "INT\n";
        (void)!write(1, text, std::strlen(text));
        _exit(0);
    }
    unsigned char c = static_cast<unsigned char>(sig);
    (void)!write(g_sigPipe[1], &c, 1);
    errno = saved;
}

void installSignalHandlers()
{
    struct sigaction sa { };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    if (!g_termIgnored)
        sigaction(SIGTERM, &sa, nullptr);
}

// Reads what is available from fd into buffer and prints complete lines as "<prefix><line>"
// (a trailing \r dropped) when echo is set. Returns false at end of stream (after printing the
// unterminated tail, if any).
bool pump(int fd, std::string &buffer, const char *prefix, bool echo)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    bool open = n > 0;
    if (open)
        buffer.append(chunk, size_t(n));
    size_t start = 0, nl;
    while ((nl = buffer.find('\n', start)) != std::string::npos) {
        size_t end = (nl > start && buffer[nl - 1] == '\r') ? nl - 1 : nl;
        if (echo)
            out(prefix + buffer.substr(start, end - start));
        start = nl + 1;
    }
    buffer.erase(0, start);
    if (!open && !buffer.empty() && echo)
        out(prefix + buffer);
    if (!open)
        buffer.clear();
    return open;
}

[[noreturn]] void run(const std::string & = {})
{
    if (pipe2(g_sigPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        fail(71, "pipe2 failed");
    g_running = 1;

    std::string sockBuffer, stdinBuffer;
    bool stdinOpen = g_echoStdin;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    long long ticked = 0;
    for (;;) {
        int timeout = -1;
        if (g_tickRate > 0) {
            // Every tick due by now (the first at once), then sleep until the next one is, but
            // 50 ms at least: many children at a high rate would cost more in wake-ups than lines.
            const auto elapsed
                = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
            std::string batch;
            for (const long long due = g_tickRate * elapsed.count() / 1000 + 1; ticked < due;
                 ++ticked)
                batch += "tick " + std::to_string(ticked + 1) + "\n";
            writeAll(1, batch.data(), batch.size());
            const auto next
                = start + std::chrono::milliseconds((ticked * 1000 + g_tickRate - 1) / g_tickRate);
            timeout = int(std::max<long long>(
                50,
                std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now())
                    .count()));
        }
        pollfd fds[3];
        int count = 0, sockIndex = -1, stdinIndex = -1;
        fds[count++] = {g_sigPipe[0], POLLIN, 0};
        if (g_sock >= 0 && !g_ipcNoRead) {
            sockIndex = count;
            fds[count++] = {g_sock, POLLIN, 0};
        }
        if (stdinOpen) {
            stdinIndex = count;
            fds[count++] = {0, POLLIN, 0};
        }
        if (poll(fds, nfds_t(count), timeout) < 0) {
            if (errno == EINTR)
                continue;
            fail(71, std::string("poll: ") + std::strerror(errno));
        }
        if (fds[0].revents) {
            unsigned char sig;
            while (read(g_sigPipe[0], &sig, 1) == 1) {
                if (sig == SIGTERM) {
                    out("TERM");
                    _exit(0);
                }
                if (sig == SIGINT) {
                    out("INT");
                    _exit(0);
                }
            }
        }
        if (sockIndex >= 0 && fds[sockIndex].revents
            && !pump(g_sock, sockBuffer, "IPC ", g_ipcEcho)) {
            close(g_sock);
            g_sock = -1;
            out("IPC CLOSED");
        }
        if (stdinIndex >= 0 && fds[stdinIndex].revents)
            stdinOpen = pump(0, stdinBuffer, "STDIN ", true);
    }
}

const Behaviour kBehaviours[] = {
    {"print-args", Value::None, printArgs},
    {"print-env", Value::Text, printEnv},
    {"print", Value::Text, print},
    {"stderr", Value::Text, printStderr},
    {"lines", Value::Number, lines},
    {"stderr-lines", Value::Number, stderrLines},
    {"pid-lines", Value::Number, pidLines},
    {"rate", Value::Number, rate},
    {"partial", Value::Text, partial},
    {"crlf", Value::Text, crlf},
    {"big", Value::Number, big},
    {"sleep", Value::Number, sleepMs},
    {"exit", Value::Number, exitWith},
    {"crash", Value::Number, crash},
    {"ignore-term", Value::None, ignoreTerm},
    {"grandchild", Value::None, grandchild},
    {"alloc", Value::Number, alloc},
    {"pid", Value::None, printPid},
    {"spin", Value::Number, spin},
    {"run", Value::None, run},
    {"ipc-connect", Value::None, ipcConnect},
    {"ipc-hello", Value::None, ipcHello},
    {"ipc-send", Value::Text, ipcSend},
    {"ipc-send-raw", Value::Text, ipcSendRaw},
    {"ipc-send-many", Value::Number, ipcSendMany},
    {"ipc-echo", Value::None, ipcEcho},
    {"ipc-noread", Value::None, ipcNoRead},
    {"ipc-close", Value::None, ipcClose},
    {"echo-stdin", Value::None, echoStdin},
    {"ticks", Value::Number, ticks},
};

} // namespace

int main(int argc, char **argv)
{
    g_argv.assign(argv, argv + argc);
    std::vector<Step> steps;
    int i = 1;
    for (; i < argc && std::strncmp(argv[i], "--", 2) == 0; ++i) {
        std::string arg = argv[i] + 2;
        size_t eq = arg.find('=');
        std::string name = arg.substr(0, eq);
        const Behaviour *found = nullptr;
        for (const Behaviour &b : kBehaviours)
            if (name == b.name)
                found = &b;
        if (!found)
            fail(64, std::string("unknown option ") + argv[i]);
        if (found->value == Value::None && eq != std::string::npos)
            fail(64, "option --" + name + " takes no value");
        if (found->value != Value::None && eq == std::string::npos)
            fail(64, "option --" + name + " needs a value (--" + name + "=...)");
        std::string value = eq == std::string::npos ? std::string() : arg.substr(eq + 1);
        if (found->value == Value::Number)
            number(name, value); // validate before anything runs
        steps.push_back({found, value});
    }
    g_positional.assign(argv + i, argv + argc);
    installSignalHandlers();

    for (const Step &step : steps)
        step.behaviour->run(step.behaviour->value == Value::Text ? expandEnv(step.value)
                                                                 : step.value);
    if (g_ipcEcho || g_echoStdin || g_tickRate > 0)
        run();
    return 0;
}
