#include "text/units.h"

#include <QCoreApplication>
#include <QLocale>

namespace {
// lupdate reads the texts of Text::tr() under this context.
struct Text {
    Q_DECLARE_TR_FUNCTIONS(Units)
};
} // namespace

QString Units::duration(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return Text::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return Text::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return Text::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return Text::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

QString Units::dataSize(qint64 bytes)
{
    constexpr qint64 gigabyte = 1000LL * 1000 * 1000;
    return QLocale().formattedDataSize(bytes, bytes >= gigabyte ? 2 : 0, QLocale::DataSizeSIFormat);
}
