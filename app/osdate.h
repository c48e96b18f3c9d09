#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

// Lua's os.date(format, time) for a string format: a leading '!' means UTC, the rest goes to
// strftime, so every conversion a Lua bot author knows works the same way here.
class OsDate
{
public:
    explicit OsDate(const QString &format);

    QString format(const QDateTime &time) const;
    // Same, with the result cached per second: log lines come thousands per second.
    QString formatCached(const QDateTime &time);

    bool isUtc() const { return m_utc; }

private:
    QByteArray m_format;
    bool m_utc = false;
    qint64 m_cachedSecond = -1;
    QString m_cached;
};
