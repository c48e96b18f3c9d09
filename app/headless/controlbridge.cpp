#include "headless/controlbridge.h"

#include "diagnostics.h"
#include "headless/servicestatus.h"
#include "platform/stdinreader.h"
#include "platform/stdoutwriter.h"
#include "service/controlpaths.h"

#include <QLocalSocket>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// Bytes moved from the socket to stdout at a time: the read buffer's size, so one full buffer
// is one write.
constexpr qint64 kChunk = 64 * 1024;

void printErr(const QString &text)
{
    const QByteArray bytes = (text + u'\n').toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace

ControlBridge::ControlBridge(const QString &profilePath, QObject *parent)
    : QObject(parent)
    , m_profilePath(profilePath)
    , m_socket(new QLocalSocket(this))
{
    // Qt stops reading the socket once this much waits unread: with pump() reading only while
    // stdout keeps up, a slow stdout leaves the bytes in the service's queue, not in ours.
    m_socket->setReadBufferSize(kChunk);
}

ControlBridge::~ControlBridge() = default;

int ControlBridge::start()
{
    const QString path = ControlPaths::socketFor(m_profilePath);
    m_socket->connectToServer(path);
    if (!m_socket->waitForConnected(2000)) {
        printErr(u"shard-manager: "_s + noServiceText(m_profilePath, path));
        return 3;
    }
    qCDebug(lcControl) << "relaying stdin and stdout to" << path;
    m_stdout = new StdoutWriter(this);
    m_stdin = new StdinReader(this);
    connect(m_socket, &QLocalSocket::readyRead, this, &ControlBridge::pump);
    connect(m_stdout, &StdoutWriter::bytesWritten, this, &ControlBridge::pump);
    connect(m_stdout, &StdoutWriter::failed, this, [this](const QString &error) {
        end(1, tr("shard-manager: standard output failed: %1").arg(error));
    });
    connect(m_stdin, &StdinReader::received, this, &ControlBridge::onStdin);
    connect(m_stdin, &StdinReader::ended, this, [this] {
        // QLocalSocket cannot close one direction only: the connection ends once what stdin
        // gave has been sent, and so does the bridge.
        qCDebug(lcControl) << "end of stdin: closing the control connection";
        m_socket->disconnectFromServer();
    });
    connect(m_socket, &QLocalSocket::bytesWritten, this, &ControlBridge::onSocketWritten);
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError e) {
        if (e != QLocalSocket::PeerClosedError)
            m_socketError = m_socket->errorString();
    });
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlBridge::onSocketClosed);
    pump(); // the hello may have come with the connection
    return 0;
}

void ControlBridge::pump()
{
    while (m_stdout->bytesToWrite() < kOutputHigh && m_socket->bytesAvailable() > 0)
        m_stdout->write(m_socket->read(kChunk));
    if (m_socketClosed && m_socket->bytesAvailable() == 0 && m_stdout->bytesToWrite() == 0)
        end(m_socketError.isEmpty() ? 0 : 1,
            m_socketError.isEmpty()
                ? QString()
                : tr("shard-manager: the control connection broke: %1").arg(m_socketError));
}

void ControlBridge::onStdin(const QByteArray &data)
{
    if (m_socketClosed)
        return;
    m_socket->write(data);
    if (m_socket->bytesToWrite() > kSocketHigh)
        m_stdin->setPaused(true);
}

void ControlBridge::onSocketWritten()
{
    if (m_socket->bytesToWrite() <= kSocketHigh)
        m_stdin->setPaused(false);
}

void ControlBridge::onSocketClosed()
{
    qCDebug(lcControl) << "control connection closed" << m_socketError;
    m_socketClosed = true;
    m_stdin->setPaused(true); // nowhere to send it any more
    pump();
}

void ControlBridge::end(int exitCode, const QString &error)
{
    if (m_ended)
        return;
    m_ended = true;
    if (!error.isEmpty())
        printErr(error);
    emit finished(exitCode);
}
