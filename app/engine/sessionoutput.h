#pragma once

#include <QObject>
#include <QStringList>

#include <memory>

class ConsoleEcho;
class LogWriter;
class Profile;
struct ShardRange;

// Where a session writes the children's lines: the profile's log file (its problems reported
// once each) and the console echo. Opened with the session, closed with it.
class SessionOutput : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionOutput)

public:
    explicit SessionOutput(QObject *parent = nullptr);
    ~SessionOutput() override;

    // echo: whether lines may go to the terminal (off for --events json); the profile's silent
    // key turns it off too.
    bool open(const Profile &profile, bool echo, QString *error);
    void close();
    void write(const ShardRange &range, bool isStderr, const QStringList &lines);
    bool logFileFailing() const;

signals:
    void logFileError(const QString &message);
    void notice(const QString &text);

private:
    std::unique_ptr<LogWriter> m_log;
    std::unique_ptr<ConsoleEcho> m_echo;
};
