// bench/ipc: IPC throughput with 100 connected children, and the manager's memory while one stalls.
// Run by hand: build/bin/bench_ipc [CHILDREN] [MESSAGES_PER_CHILD]
// Prints: broadcast fan-out (delivered messages/s in total), children-to-manager (messages/s),
// and the manager's resident memory before and after 20 s of broadcasts to a stalled child.

#include "ipc/ipcserver.h"
#include "platform/processcontrol.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

qint64 residentKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

struct Client {
    std::unique_ptr<QProcess> process;
    QByteArray out;
};

class Bench {
public:
    Bench(int children, int messages)
        : m_children(children)
        , m_messages(messages)
    {
        QString error;
        if (!m_server.listen(u"127.0.0.1"_s, 0, &error))
            qFatal("%s", qPrintable(error));
    }

    ~Bench() { stopClients(); }

    void startClients(const QStringList &args, int count)
    {
        const QString program = QCoreApplication::applicationDirPath() + u"/ipcbenchclient"_s;
        for (int i = 0; i < count; ++i) {
            Client c;
            c.process = std::make_unique<QProcess>();
            ProcessControl::prepare(c.process.get());
            c.process->start(program, QStringList {QString::number(m_server.port())} + args);
            c.process->waitForStarted();
            m_server.setProcess(int(m_clients.size()), c.process->processId(), {});
            m_clients.push_back(std::move(c));
        }
        waitUntil([&] { return m_server.connectionCount() == int(m_clients.size()); });
    }

    void stopClients()
    {
        for (Client &c : m_clients) {
            ProcessControl::killGroup(c.process->processId());
            c.process->waitForFinished(5000);
        }
        m_clients.clear();
        waitUntil([&] { return m_server.connectionCount() == 0; });
    }

    int countLines(const QByteArray &prefix)
    {
        int n = 0;
        for (Client &c : m_clients) {
            c.out += c.process->readAllStandardOutput();
            n += int(c.out.count(prefix));
        }
        return n;
    }

    template<typename Done> void waitUntil(Done done)
    {
        QElapsedTimer t;
        t.start();
        while (!done()) {
            if (t.elapsed() > 120000)
                qFatal("bench: timed out");
            // A bench, not a test: pump the loop until the condition holds.
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            for (Client &c : m_clients)
                c.process->waitForReadyRead(0);
        }
    }

    void fanOut()
    {
        startClients({u"sink"_s, QString::number(m_messages)}, m_children);
        const QString message(99, u'b'); // 100 bytes with the newline
        QElapsedTimer t;
        t.start();
        int sent = 0;
        waitUntil([&] {
            for (int i = 0; i < 200 && sent < m_messages; ++i, ++sent)
                m_server.broadcast(message);
            return sent == m_messages && countLines("GOT ") == m_children;
        });
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        const double delivered = double(m_messages) * m_children;
        std::printf("broadcast fan-out: %d children x %d messages of 100 bytes = %.0f delivered in "
                    "%.2f s: %.0f messages/s\n",
                    m_children, m_messages, delivered, seconds, delivered / seconds);
        stopClients();
    }

    void fanIn()
    {
        startClients({u"source"_s, QString::number(m_messages), u"100"_s}, m_children);
        qint64 received = 0;
        const auto connection = QObject::connect(&m_server, &IpcServer::messageReceived, &m_server,
                                                 [&received] { ++received; });
        const qint64 total = qint64(m_messages) * m_children;
        QElapsedTimer t;
        t.start();
        m_server.broadcast(u"go"_s);
        waitUntil([&] { return received >= total; });
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        std::printf("children to manager: %d children x %d messages of 100 bytes = %lld received "
                    "in %.2f s: %.0f messages/s\n",
                    m_children, m_messages, static_cast<long long>(received), seconds,
                    double(received) / seconds);
        QObject::disconnect(connection);
        stopClients();
    }

    void stalledChild()
    {
        startClients({u"sink"_s, u"0"_s}, m_children - 1);
        startClients({u"stall"_s}, 1);
        const qint64 before = residentKiB();
        const QString message(999, u's');
        QElapsedTimer t;
        t.start();
        qint64 sent = 0;
        qint64 peak = before;
        waitUntil([&] {
            for (int i = 0; i < 50; ++i, ++sent)
                m_server.broadcast(message);
            peak = std::max(peak, residentKiB());
            return t.elapsed() > 20000;
        });
        std::printf("stalled child: %lld broadcasts of 1000 bytes in 20 s; manager RSS %lld KiB "
                    "before, peak %lld KiB, %d of %d connections left\n",
                    static_cast<long long>(sent), static_cast<long long>(before),
                    static_cast<long long>(peak), m_server.connectionCount(), m_children);
        stopClients();
    }

private:
    int m_children;
    int m_messages;
    IpcServer m_server;
    std::vector<Client> m_clients;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int children = argc > 1 ? std::atoi(argv[1]) : 100;
    const int messages = argc > 2 ? std::atoi(argv[2]) : 20000;
    Bench bench(children, messages);
    bench.fanOut();
    bench.fanIn();
    bench.stalledChild();
    return 0;
}
