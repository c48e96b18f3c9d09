#include "output/osdate.h"

#include "platform/calendartime.h"

#include <algorithm>
#include <ctime>
#include <vector>

using namespace Qt::StringLiterals;

OsDate::OsDate(const QString &format)
{
    // strftime returns 0 both for "too small" and for an empty result (e.g. "%p" in some
    // locales): with a character in front, 0 can only mean "too small".
    m_format = ' ' + format.toLocal8Bit();
    if (m_format.startsWith(" !")) {
        m_utc = true;
        m_format.remove(1, 1);
    }
}

std::optional<QString> OsDate::tryFormat(const QDateTime &time) const
{
    if (m_format.size() == 1)
        return QString();
    const std::time_t seconds = std::time_t(time.toSecsSinceEpoch());
    const std::tm parts = CalendarTime::split(seconds, m_utc);
    std::vector<char> buffer(256);
    for (;;) {
        const size_t n = std::strftime(buffer.data(), buffer.size(), m_format.constData(), &parts);
        if (n > 0)
            return QString::fromLocal8Bit(buffer.data() + 1, qsizetype(n) - 1);
        if (qsizetype(buffer.size()) > kMaxLength)
            return std::nullopt;
        // Room for kMaxLength, the leading space and the NUL.
        buffer.resize(std::min<size_t>(buffer.size() * 4, kMaxLength + 2));
    }
}

QString OsDate::format(const QDateTime &time) const
{
    return tryFormat(time).value_or(u"[timestamp longer than %1 bytes]"_s.arg(kMaxLength));
}

QString OsDate::formatCached(const QDateTime &time)
{
    return formatCachedMs(time.toMSecsSinceEpoch());
}

QString OsDate::formatCachedMs(qint64 msecsSinceEpoch)
{
    const qint64 second = msecsSinceEpoch / 1000; // as QDateTime::toSecsSinceEpoch() rounds
    if (second != m_cachedSecond) {
        m_cached = format(QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC));
        m_cachedSecond = second;
    }
    return m_cached;
}
