#include "platform/stdinreader.h"

#include <QSocketNotifier>

#include <cerrno>

#include <unistd.h>

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::onReadable);
}

StdinReader::~StdinReader() = default;

void StdinReader::setPaused(bool paused)
{
    if (!m_ended)
        m_notifier->setEnabled(!paused);
}

void StdinReader::onReadable()
{
    char buffer[65536];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    // Not an end: stdin may share its open file with a stdout that StdoutWriter made
    // non-blocking (a socket or terminal handed as both).
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        m_ended = true;
        m_notifier->setEnabled(false);
        emit ended();
        return;
    }
    emit received(QByteArray(buffer, qsizetype(n)));
}
