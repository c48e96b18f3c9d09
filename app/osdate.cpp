#include "osdate.h"

#include <ctime>
#include <vector>

OsDate::OsDate(const QString &format)
{
    m_format = format.toLocal8Bit();
    if (m_format.startsWith('!')) {
        m_utc = true;
        m_format.remove(0, 1);
    }
}

QString OsDate::format(const QDateTime &time) const
{
    if (m_format.isEmpty())
        return QString();
    const std::time_t seconds = std::time_t(time.toSecsSinceEpoch());
    std::tm parts{};
    if (m_utc)
        gmtime_r(&seconds, &parts);
    else
        localtime_r(&seconds, &parts);
    // strftime returns 0 both for "too small" and for an empty result (e.g. "%p" in some locales):
    // grow a few times, then accept empty.
    std::vector<char> buffer(256);
    for (int attempt = 0; attempt < 6; ++attempt) {
        const size_t n = std::strftime(buffer.data(), buffer.size(), m_format.constData(), &parts);
        if (n > 0)
            return QString::fromLocal8Bit(buffer.data(), qsizetype(n));
        buffer.resize(buffer.size() * 4);
    }
    return QString();
}

QString OsDate::formatCached(const QDateTime &time)
{
    const qint64 second = time.toSecsSinceEpoch();
    if (second != m_cachedSecond) {
        m_cached = format(time);
        m_cachedSecond = second;
    }
    return m_cached;
}
