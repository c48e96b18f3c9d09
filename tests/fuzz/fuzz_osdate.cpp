// Fuzzes OsDate (os.date for log timestamps): any format string at any time gives a result
// without crashing or hanging, never longer than the limit and never silently empty; formatting
// is deterministic, and text without a conversion is copied as it is.

#include "fuzzcheck.h"
#include "output/osdate.h"

#include <QHash>
#include <QTimeZone>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The whole input is the format, so seeds stay readable; the time comes from its hash:
    // about 3,000 years either side of 1970, years strftime must pad or sign included.
    const QByteArrayView bytes(data, qsizetype(size));
    const qint64 seconds = qint64(qHash(bytes, 0) % 200'000'000'000ULL) - 100'000'000'000LL;
    const QString format = QString::fromUtf8(bytes);
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());

    OsDate date(format);
    // Text of at most kMaxLength, or nothing; format() says so visibly rather than be empty.
    const std::optional<QString> text = date.tryFormat(time);
    FUZZ_CHECK(date.tryFormat(time) == text);
    FUZZ_CHECK(!text || text->size() <= OsDate::kMaxLength);
    const QString once = date.format(time);
    FUZZ_CHECK(text ? once == *text : !once.isEmpty());
    FUZZ_CHECK(date.format(time) == once);
    FUZZ_CHECK(date.formatCached(time) == once);
    // Later in the same second (earlier before 1970: seconds are cut toward zero) hits the cache.
    FUZZ_CHECK(date.formatCached(time.addMSecs(seconds >= 0 ? 999 : -999)) == once);
    FUZZ_CHECK(date.isUtc() == format.startsWith(u'!'));

    // Without a conversion the format is the text, if it fits.
    const QString literal = date.isUtc() ? format.sliced(1) : format;
    if (!literal.contains(u'%') && !literal.contains(QChar(0))) {
        if (literal.toLocal8Bit().size() <= OsDate::kMaxLength)
            FUZZ_CHECK(text == literal);
        else
            FUZZ_CHECK(!text);
    }
    return 0;
}
