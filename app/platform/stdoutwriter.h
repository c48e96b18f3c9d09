#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

// Writes the manager's standard output without blocking the event loop, the counterpart of
// StdinReader: what stdout (a pipe to ssh, say) does not take at once waits here, and
// bytesToWrite() says how much, so the producer can stop instead of this queue growing. A
// terminal is left blocking (it is shared with the shell, and fast); any other stdout is made
// non-blocking for the writer's life (a notifier on descriptor 1 on Unix).
class StdoutWriter : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdoutWriter)

public:
    explicit StdoutWriter(QObject *parent = nullptr);
    ~StdoutWriter() override;

    void write(const QByteArray &data);
    qint64 bytesToWrite() const { return m_pending.size() - m_offset; }

signals:
    // Waiting bytes went out (not emitted for a write that stdout took at once).
    void bytesWritten();
    // Stdout is closed or broken (its reader went away): nothing more is written. Queued, so
    // never emitted from inside write().
    void failed(const QString &error);

private:
    void flush();
    void fail(int error);

    QSocketNotifier *m_notifier;
    QByteArray m_pending;
    qsizetype m_offset = 0; // of the first byte of m_pending not yet written
    int m_restoreFlags = -1; // stdout's flags before, when they were changed
    bool m_failed = false;
};
