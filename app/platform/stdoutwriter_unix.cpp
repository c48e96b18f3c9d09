#include "platform/stdoutwriter.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

StdoutWriter::StdoutWriter(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDOUT_FILENO, QSocketNotifier::Write, this))
{
    m_notifier->setEnabled(false);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdoutWriter::flush);
    const int flags = ::fcntl(STDOUT_FILENO, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK) && ::isatty(STDOUT_FILENO) != 1
        && ::fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) == 0)
        m_restoreFlags = flags;
}

StdoutWriter::~StdoutWriter()
{
    // The open file may outlive us in other hands (the shell's pipe, a parent's socket).
    if (m_restoreFlags >= 0)
        ::fcntl(STDOUT_FILENO, F_SETFL, m_restoreFlags);
}

void StdoutWriter::write(const QByteArray &data)
{
    if (m_failed || data.isEmpty())
        return;
    if (bytesToWrite() > 0) {
        m_pending.append(data); // behind what waits already, the notifier is on
        return;
    }
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n
            = ::write(STDOUT_FILENO, data.constData() + done, size_t(data.size() - done));
        if (n >= 0) {
            done += n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            fail(errno);
            return;
        }
    }
    if (done < data.size()) {
        m_pending = data.mid(done);
        m_offset = 0;
        m_notifier->setEnabled(true);
    }
}

void StdoutWriter::flush()
{
    while (bytesToWrite() > 0) {
        const ssize_t n
            = ::write(STDOUT_FILENO, m_pending.constData() + m_offset, size_t(bytesToWrite()));
        if (n >= 0) {
            m_offset += n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            fail(errno);
            return;
        }
    }
    if (bytesToWrite() == 0) {
        m_pending.clear();
        m_offset = 0;
        m_notifier->setEnabled(false);
    } else if (m_offset > m_pending.size() / 2) {
        m_pending.remove(0, m_offset); // the written half, so the copy stays amortised
        m_offset = 0;
    }
    emit bytesWritten();
}

void StdoutWriter::fail(int error)
{
    m_failed = true;
    m_pending.clear();
    m_offset = 0;
    m_notifier->setEnabled(false);
    const QString text = QString::fromLocal8Bit(std::strerror(error));
    QTimer::singleShot(0, this, [this, text] { emit failed(text); });
}
