#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

// Reads the manager's standard input as it comes, without blocking the event loop (a notifier on
// descriptor 0 on Unix; a Windows port watches the console or pipe handle instead). Bytes, not
// lines: the reader decides what a line is and how long one may be.
class StdinReader : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdinReader)

public:
    explicit StdinReader(QObject *parent = nullptr);
    ~StdinReader() override;

    // Stops and resumes reading, so a reader whose consumer is full leaves the bytes to the
    // writer's pipe (back-pressure) instead of queueing them. No effect once input has ended.
    void setPaused(bool paused);

signals:
    void received(const QByteArray &data);
    // End of input or a read error: nothing more will come (and nothing more is asked).
    void ended();

private:
    void onReadable();

    QSocketNotifier *m_notifier;
    bool m_ended = false;
};
