#include "headless/clusteroptions.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ClusterOptions)
};
} // namespace

std::optional<ClusterSlice> ClusterOptions::resolve(const QString &index, const QString &size,
                                                    const QString &hostName, QString *error)
{
    if (index.isEmpty() && size.isEmpty())
        return ClusterSlice {};
    if (index.isEmpty() || size.isEmpty()) {
        *error = Text::tr("--cluster-index and --cluster-size go together (or "
                          "SHARD_MANAGER_CLUSTER_INDEX and SHARD_MANAGER_CLUSTER_SIZE)");
        return std::nullopt;
    }
    bool ok = false;
    const int count = size.toInt(&ok);
    if (!ok || count < 1) {
        *error = Text::tr("--cluster-size takes a number of slices from 1 (got \"%1\")").arg(size);
        return std::nullopt;
    }
    int at = -1;
    if (index == u"auto"_s) {
        // A StatefulSet's pods are NAME-0, NAME-1, ...: the ordinal is the number after the
        // last dash.
        static const QRegularExpression ordinal(u"-(\\d+)$"_s);
        const QRegularExpressionMatch m = ordinal.match(hostName.section(u'.', 0, 0));
        if (!m.hasMatch()) {
            *error = Text::tr("--cluster-index auto: the host name \"%1\" does not end in -NUMBER "
                              "(a StatefulSet pod's ordinal)")
                         .arg(hostName);
            return std::nullopt;
        }
        at = m.captured(1).toInt(&ok);
    } else {
        at = index.toInt(&ok);
    }
    if (!ok || at < 0 || at >= count) {
        *error = Text::tr("--cluster-index must be from 0 to %1 for %2 slices (got \"%3\")")
                     .arg(count - 1)
                     .arg(count)
                     .arg(index == u"auto"_s ? QString::number(at) : index);
        return std::nullopt;
    }
    return ClusterSlice {at, count};
}

QString ClusterOptions::describe(const QList<ShardRange> &plan, const ClusterSlice &slice)
{
    const auto [from, to] = ShardPlan::sliceBounds(int(plan.size()), slice);
    if (from >= to)
        return Text::tr("slice %1 of %2: no process").arg(slice.index).arg(slice.size);
    return Text::tr("slice %1 of %2: processes %3 to %4 of %5, shards %6 to %7")
        .arg(slice.index)
        .arg(slice.size)
        .arg(from)
        .arg(to - 1)
        .arg(plan.size())
        .arg(plan.at(from).first)
        .arg(plan.at(to - 1).last);
}

QString ClusterOptions::sliceTable(const QList<ShardRange> &plan, const ClusterSlice &slice)
{
    QString out;
    for (int i = 0; i < slice.size; ++i)
        out += (i == slice.index ? u"* "_s : u"  "_s) + describe(plan, {i, slice.size}) + u'\n';
    if (int(plan.size()) < slice.size)
        out += Text::tr("more slices than processes: %n slice(s) would run nothing", nullptr,
                        int(slice.size - plan.size()))
            + u'\n';
    return out;
}
