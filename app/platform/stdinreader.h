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

signals:
    void received(const QByteArray &data);
    // End of input or a read error: nothing more will come (and nothing more is asked).
    void ended();

private:
    void onReadable();

    QSocketNotifier *m_notifier;
};
