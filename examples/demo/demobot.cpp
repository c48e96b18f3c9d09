// shard-demobot — a pretend Discordia bot, so Shard Manager's demo runs without luvit or Discord.
//
//   shard-demobot <settings file> <port> <firstShard> <lastShard> <maxShards> [arguments...]
//
// It follows the child contract (docs: DESIGN.md §1): it "starts" each of its shards one after
// another, logging the way Discordia's logger does (date | coloured level tag | message), then
// writes plausible periodic lines. It talks to the manager's IPC server on 127.0.0.1:<port> when
// it can ("hello <SHARDER_IPC_TOKEN>", {"op":"ready"}, {"op":"stats",...} every 10 s), logs every
// line it receives and answers "ping". SIGTERM/SIGINT: logs a shutdown line and exits 0.
// It never reads or prints the bot token. Settings: see demo-bot.conf.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using std::to_string;

struct Settings {
    double linesPerSecond = 2;
    int guildsPerShard = 150;
    int crashAfterSeconds = 0;
    double growMBPerMinute = 0; // pretend cache growth, to show memory charts and levels
    std::string botName = "DemoBot";
};

enum class Level { Error, Warning, Info, Debug };

Settings g_settings;
int g_port = 0, g_first = 0, g_last = 0, g_max = 0;
int g_readyShards = 0;
int g_sock = -1;
bool g_ipcWarned = false;
std::string g_ipcBuffer;
std::mt19937 g_random;
std::multimap<Clock::time_point, std::function<void()>> g_timers;
int g_sigPipe[2] = {-1, -1};

void writeAll(int fd, const std::string &s)
{
    size_t done = 0;
    while (done < s.size()) {
        ssize_t n = write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return;
        done += size_t(n);
    }
}

// Discordia's logger: "<date> | <tag> | <message>", the tag coloured (bold) on stdout.
void log(Level level, const std::string &message)
{
    static const char *tags[] = {"[ERROR]  ", "[WARNING]", "[INFO]   ", "[DEBUG]  "};
    static const char *colours[] = {"31", "33", "32", "36"};
    char date[32];
    std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    int i = int(level);
    writeAll(1,
             std::string(date) + " | \x1b[1;" + colours[i] + "m" + tags[i] + "\x1b[0m | " + message
                 + "\n");
}
void shardLog(Level level, int shard, const std::string &message)
{
    log(level, "Shard " + to_string(shard) + " : " + message);
}

int randomInt(int low, int high)
{
    return std::uniform_int_distribution<int>(low, high)(g_random);
}
int randomShard()
{
    return randomInt(g_first, g_last);
}

void after(double seconds, std::function<void()> action)
{
    auto delay
        = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    g_timers.emplace(Clock::now() + delay, std::move(action));
}

void loadSettings(const std::string &path)
{
    std::ifstream in(path);
    if (!in) {
        writeAll(2, "shard-demobot: cannot read " + path + ", using default settings\n");
        return;
    }
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        auto trim = [](std::string s) {
            size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
            return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
        };
        line = trim(line);
        if (line.empty() || line[0] == '#')
            continue;
        size_t eq = line.find('=');
        std::string key = trim(line.substr(0, eq)),
                    value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
        if (key == "linesPerSecond")
            g_settings.linesPerSecond = std::atof(value.c_str());
        else if (key == "guildsPerShard")
            g_settings.guildsPerShard = std::atoi(value.c_str());
        else if (key == "crashAfterSeconds")
            g_settings.crashAfterSeconds = std::atoi(value.c_str());
        else if (key == "growMBPerMinute")
            g_settings.growMBPerMinute = std::atof(value.c_str());
        else if (key == "botName")
            g_settings.botName = value;
        else
            writeAll(2,
                     "shard-demobot: " + path + ":" + to_string(number) + ": unknown key '" + key
                         + "'\n");
    }
}

// ---- memory -------------------------------------------------------------------------------------

// A cache that only grows, as a leaky bot's would: touched pages, so they count as resident.
std::vector<std::string> g_cache;

void grow()
{
    const size_t bytes = size_t(g_settings.growMBPerMinute * 1e6 / 60.0);
    g_cache.emplace_back(bytes, 'c');
    after(1.0, grow);
}

// ---- IPC ----------------------------------------------------------------------------------------

void ipcSend(const std::string &text)
{
    if (g_sock < 0)
        return;
    std::string line = text + "\n";
    if (send(g_sock, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN)
        shardLog(Level::Warning, g_first, std::string("IPC send failed: ") + std::strerror(errno));
}

void sendReady()
{
    ipcSend("{\"op\":\"ready\"}");
}

void ipcConnect()
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(g_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
        g_sock = fd;
        g_ipcWarned = false;
        shardLog(Level::Debug, g_first, "Connected to IPC on port " + to_string(g_port));
        if (const char *token = std::getenv("SHARDER_IPC_TOKEN"))
            ipcSend(std::string("hello ") + token);
        if (g_readyShards > g_last - g_first)
            sendReady();
        return;
    }
    if (!g_ipcWarned)
        shardLog(Level::Warning, g_first,
                 "IPC unavailable on port " + to_string(g_port) + " (" + std::strerror(errno)
                     + "), retrying every 3 s");
    g_ipcWarned = true;
    if (fd >= 0)
        close(fd);
    after(3, ipcConnect);
}

void ipcLine(std::string line)
{
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    shardLog(Level::Info, g_first, "IPC message: " + line);
    if (line == "ping")
        ipcSend("pong from shards " + to_string(g_first) + "-" + to_string(g_last));
}

void ipcRead()
{
    char chunk[65536];
    ssize_t n = read(g_sock, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (!g_ipcBuffer.empty())
            ipcLine(g_ipcBuffer);
        g_ipcBuffer.clear();
        close(g_sock);
        g_sock = -1;
        shardLog(Level::Warning, g_first, "IPC connection closed, reconnecting in 3 s");
        after(3, ipcConnect);
        return;
    }
    g_ipcBuffer.append(chunk, size_t(n));
    size_t nl;
    while ((nl = g_ipcBuffer.find('\n')) != std::string::npos) {
        ipcLine(g_ipcBuffer.substr(0, nl));
        g_ipcBuffer.erase(0, nl + 1);
    }
}

void sendStats()
{
    // The process's numbers, and each ready shard's (the window's Shards tab shows those).
    int ping = randomInt(35, 120);
    std::string shards;
    for (int shard = g_first; shard < g_first + g_readyShards && shard <= g_last; ++shard) {
        shards += std::string(shards.empty() ? "" : ",") + "\"" + to_string(shard)
            + "\":{\"guilds\":" + to_string(g_settings.guildsPerShard)
            + ",\"ping\":" + to_string(ping + randomInt(-10, 10)) + "}";
    }
    ipcSend("{\"op\":\"stats\",\"guilds\":" + to_string(g_readyShards * g_settings.guildsPerShard)
            + ",\"ping\":" + to_string(ping) + ",\"shards\":{" + shards + "}}");
    after(10, sendStats);
}

// ---- the pretend bot ----------------------------------------------------------------------------

void startShard(int shard, double at)
{
    after(at, [shard] {
        shardLog(Level::Info, shard, "Connected to wss://gateway.discord.gg/?v=10&encoding=json");
    });
    after(at + 0.3, [shard] { shardLog(Level::Info, shard, "Received HELLO"); });
    after(at + 0.6, [shard] { shardLog(Level::Info, shard, "Received READY"); });
    after(at + 1.2, [shard] {
        shardLog(Level::Info, shard, to_string(g_settings.guildsPerShard) + " guilds ready");
        if (++g_readyShards > g_last - g_first) {
            log(Level::Info,
                "Ready as " + g_settings.botName + "#0001 (shards " + to_string(g_first) + " to "
                    + to_string(g_last) + " of " + to_string(g_max) + ")");
            sendReady();
        }
    });
}

void periodicLine()
{
    int roll = randomInt(1, 100), shard = randomShard();
    static int sequence = 1;
    static std::set<int> reconnecting;
    if (roll > 92 && roll <= 95 && reconnecting.count(shard))
        roll = 1; // one reconnect at a time
    if (roll <= 60) {
        shardLog(Level::Debug, shard,
                 "Received HEARTBEAT_ACK (" + to_string(randomInt(35, 120)) + " ms)");
    } else if (roll <= 92) {
        static const char *events[]
            = {"MESSAGE_CREATE",       "GUILD_MEMBER_UPDATE", "PRESENCE_UPDATE",
               "MESSAGE_REACTION_ADD", "TYPING_START",        "VOICE_STATE_UPDATE"};
        shardLog(Level::Debug, shard,
                 std::string("Received OP 0 : ") + events[randomInt(0, 5)] + " : "
                     + to_string(sequence += randomInt(1, 40)));
    } else if (roll <= 95) {
        reconnecting.insert(shard);
        shardLog(Level::Info, shard, "Reconnecting...");
        after(0.8, [shard] { shardLog(Level::Info, shard, "Received HELLO"); });
        after(1.1, [shard] {
            shardLog(Level::Info, shard, "Received RESUMED");
            reconnecting.erase(shard);
        });
    } else if (roll <= 99) {
        log(Level::Warning,
            "429 - Too Many Requests : retrying after " + to_string(randomInt(200, 3000)) + " ms");
    } else {
        writeAll(2,
                 "[string \"commands/ping.lua\"]:12: attempt to concatenate a nil value (field "
                 "'nick')\n");
    }
    after(1.0 / g_settings.linesPerSecond, periodicLine);
}

void crash()
{
    log(Level::Error, "Unhandled error in event handler (crashAfterSeconds reached)");
    writeAll(2,
             "Uncaught exception:\n"
                 + std::string("bot.lua:42: attempt to index a nil value (field 'guild')\n"));
    _exit(1);
}

void onSignal(int sig)
{
    int saved = errno;
    unsigned char c = static_cast<unsigned char>(sig);
    (void)!write(g_sigPipe[1], &c, 1);
    errno = saved;
}

bool parseInt(const char *text, int &out)
{
    char *end = nullptr;
    long v = std::strtol(text, &end, 10);
    out = int(v);
    return *text && *end == '\0' && v >= 0 && v <= 1000000;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 6 || !parseInt(argv[2], g_port) || !parseInt(argv[3], g_first)
        || !parseInt(argv[4], g_last) || !parseInt(argv[5], g_max) || g_last < g_first) {
        writeAll(2,
                 "usage: shard-demobot <settings file> <port> <firstShard> <lastShard> <maxShards> "
                 "[arguments...]\n");
        return 64;
    }
    loadSettings(argv[1]);
    g_random.seed(unsigned(g_first) * 7919u + 17u);

    if (pipe2(g_sigPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return 71;
    struct sigaction sa { };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);

    log(Level::Info, "Discordia 2.11.2 (demo: no Discord connection is made)");
    log(Level::Info, "Connecting to Discord...");
    log(Level::Info, "Authenticated as " + g_settings.botName + "#0001");
    log(Level::Info,
        "Launching shards " + to_string(g_first) + " through " + to_string(g_last) + " ("
            + to_string(g_max) + " total)");
    ipcConnect();
    for (int shard = g_first; shard <= g_last; ++shard)
        startShard(shard, 0.5 + 1.5 * (shard - g_first));
    double allReady = 0.5 + 1.5 * (g_last - g_first) + 1.5;
    if (g_settings.linesPerSecond > 0)
        after(allReady, periodicLine);
    after(10, sendStats);
    if (g_settings.crashAfterSeconds > 0)
        after(g_settings.crashAfterSeconds, crash);
    if (g_settings.growMBPerMinute > 0)
        after(1.0, grow);

    for (;;) {
        while (!g_timers.empty() && g_timers.begin()->first <= Clock::now()) {
            auto action = std::move(g_timers.begin()->second);
            g_timers.erase(g_timers.begin());
            action();
        }
        int timeout = -1;
        if (!g_timers.empty()) {
            auto wait = std::chrono::ceil<std::chrono::milliseconds>(g_timers.begin()->first
                                                                     - Clock::now());
            timeout = int(std::max<long long>(0, wait.count()));
        }
        pollfd fds[2] = {{g_sigPipe[0], POLLIN, 0}, {g_sock, POLLIN, 0}};
        if (poll(fds, g_sock >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR)
            return 71;
        unsigned char sig;
        if (read(g_sigPipe[0], &sig, 1) == 1) {
            log(Level::Info,
                "Shutting down shards " + to_string(g_first) + " to " + to_string(g_last));
            return 0;
        }
        if (g_sock >= 0 && fds[1].revents)
            ipcRead();
    }
}
