#include "output/lineprefix.h"

#include <QStringBuilder>

using namespace Qt::StringLiterals;

QString LinePrefix::of(int first, int last, bool isStderr)
{
    return u"Shards "_s % QString::number(first) % u" to "_s % QString::number(last)
        % (isStderr ? u" | stderr | "_s : u" | "_s);
}
