#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <limits>
#include <optional>

// Lua's os.date(format, time) for a string format: a leading '!' means UTC, the rest goes to
// strftime, so every conversion a Lua bot author knows works the same way here.
class OsDate {
public:
    explicit OsDate(const QString &format);

    // The most text one timestamp may make; validation refuses a format that makes more.
    static constexpr qsizetype kMaxLength = 4096;

    // The text, or nothing when it would be longer than kMaxLength.
    std::optional<QString> tryFormat(const QDateTime &time) const;
    // The text, or a visible "[timestamp longer than 4096 bytes]", never silently empty.
    QString format(const QDateTime &time) const;
    // Same, with the result cached per second: log lines come thousands per second.
    QString formatCached(const QDateTime &time);
    // The same from milliseconds since the epoch: no QDateTime (and no time zone lookup, a stat of
    // /etc/localtime in glibc) unless the second has changed.
    QString formatCachedMs(qint64 msecsSinceEpoch);

    bool isUtc() const { return m_utc; }

private:
    QByteArray m_format;
    bool m_utc = false;
    qint64 m_cachedSecond = std::numeric_limits<qint64>::min(); // no second is cached yet
    QString m_cached;
};
