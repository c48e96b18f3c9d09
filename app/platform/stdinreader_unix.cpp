#include "platform/stdinreader.h"

#include <QSocketNotifier>

#include <unistd.h>

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::onReadable);
}

StdinReader::~StdinReader() = default;

void StdinReader::onReadable()
{
    char buffer[65536];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_notifier->setEnabled(false);
        emit ended();
        return;
    }
    emit received(QByteArray(buffer, qsizetype(n)));
}
