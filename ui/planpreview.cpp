#include "planpreview.h"

#include "engine/shardplan.h"
#include "text/units.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

// A plan can have 100,000 processes; listing them all on every keystroke helps nobody.
constexpr int kMaxRows = 500;

enum Column { ProcessColumn, ShardsColumn, StartColumn };

// Every start offset is a multiple of the wait time, so one precision fits the whole column and
// a wait such as 125 ms is not rounded into a misleading "+0.1 s".
int decimalsFor(int waitTimeMs)
{
    if (waitTimeMs % 100 == 0)
        return 1;
    return waitTimeMs % 10 == 0 ? 2 : 3;
}

QString seconds(qint64 ms, int decimals)
{
    return PlanPreview::tr("%1 s").arg(QString::number(double(ms) / 1000.0, 'f', decimals));
}

// Long start-ups also in units a person plans with: "249997.5 s" alone says little.
QString roughly(qint64 ms)
{
    if (ms < 2 * 60 * 1000)
        return QString();
    return PlanPreview::tr(" (about %1)").arg(Units::duration(ms));
}

QString shardCount(qsizetype n)
{
    return PlanPreview::tr("%n shard(s)", nullptr, int(n));
}

QString processCount(qsizetype n)
{
    return PlanPreview::tr("%n process(es)", nullptr, int(n));
}

} // namespace

PlanPreview::PlanPreview(QWidget *parent)
    : QWidget(parent)
{
    m_caption = new QLabel(this);
    m_caption->setObjectName(u"planCaption"_s);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(u"planPreview"_s);
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Process"), tr("Shards"), tr("Starts at")});
    m_tree->headerItem()->setTextAlignment(StartColumn, Qt::AlignRight | Qt::AlignVCenter);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->setFocusPolicy(Qt::NoFocus);
    m_tree->header()->setSectionsMovable(false);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setToolTip(tr("<p>Which shards each process owns and when it starts after the first; "
                          "processes start in this order, waitTime apart.</p>"));
    // Tall enough for a handful of rows, short enough not to push the rest of the form away.
    m_tree->setMinimumHeight(110);
    m_tree->setMaximumHeight(200);

    m_warning = new QLabel(this);
    m_warning->setObjectName(u"planWarning"_s);
    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::PlainText);
    m_warning->setStyleSheet(u"color: #b36b00"_s);
    m_warning->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_caption);
    layout->addWidget(m_warning);
    layout->addWidget(m_tree);
}

void PlanPreview::setGateway(int recommendedShards, int maxConcurrency)
{
    m_recommended = recommendedShards;
    m_concurrency = maxConcurrency;
}

bool PlanPreview::alreadyShown(const Shown &shown)
{
    if (m_shown == shown)
        return true;
    m_shown = shown;
    m_tree->clear();
    return false;
}

void PlanPreview::addSpannedRow(const QString &text)
{
    auto *item = new QTreeWidgetItem(m_tree, {text});
    item->setFirstColumnSpanned(true);
    item->setForeground(ProcessColumn, palette().brush(QPalette::PlaceholderText));
}

void PlanPreview::showPlan(int maxShards, int shardsPerProcess, int waitTimeMs)
{
    if (alreadyShown(
            {false, maxShards, shardsPerProcess, waitTimeMs, m_recommended, m_concurrency}))
        return;
    renderPlan(maxShards, shardsPerProcess, waitTimeMs);
}

void PlanPreview::renderPlan(int maxShards, int shardsPerProcess, int waitTimeMs)
{
    // Discord's identify limit, once known, may space the starts wider than waitTime.
    const qint64 identifyMs = ShardPlan::identifyTimeMs(shardsPerProcess, m_concurrency);
    m_warning->setVisible(m_concurrency > 0 && identifyMs > waitTimeMs);
    if (m_warning->isVisible())
        m_warning->setText(
            tr("waitTime (%1) is shorter than the %2 a process of %3 needs to identify "
               "at %4 per 5 s: starts are spaced %2 apart instead.")
                .arg(seconds(waitTimeMs, decimalsFor(waitTimeMs)), seconds(identifyMs, 1),
                     shardCount(shardsPerProcess))
                .arg(m_concurrency));
    const QList<ShardRange> plan = ShardPlan::paced(
        ShardPlan::compute(maxShards, shardsPerProcess, waitTimeMs), waitTimeMs, m_concurrency);
    const int decimalsWait = decimalsFor(waitTimeMs);
    waitTimeMs = int(std::max<qint64>(waitTimeMs, identifyMs));
    if (plan.isEmpty()) {
        m_caption->setText(tr("No plan until the shard numbers above are fixed."));
        return;
    }

    const int decimals = std::max(decimalsWait, decimalsFor(waitTimeMs));
    QList<QTreeWidgetItem *> items;
    items.reserve(std::min<qsizetype>(plan.size(), kMaxRows));
    for (const ShardRange &range : plan) {
        if (items.size() == kMaxRows)
            break;
        auto *item = new QTreeWidgetItem(
            {QString::number(range.process),
             QString::number(range.first) + u'\u2013' + QString::number(range.last),
             u'+' + seconds(range.startOffsetMs, decimals)});
        item->setTextAlignment(StartColumn, Qt::AlignRight | Qt::AlignVCenter);
        items.append(item);
    }
    m_tree->addTopLevelItems(items);
    if (plan.size() > kMaxRows)
        addSpannedRow(tr("\u2026 and %1 more, up to shard %2")
                          .arg(processCount(plan.size() - kMaxRows))
                          .arg(plan.constLast().last));
    m_tree->resizeColumnToContents(ProcessColumn);
    m_tree->resizeColumnToContents(ShardsColumn);

    const QString shards = shardCount(maxShards);
    if (plan.size() == 1)
        m_caption->setText(tr("%1 in 1 process, started at once").arg(shards));
    else if (waitTimeMs == 0)
        m_caption->setText(
            tr("%1 in %2, all started at once").arg(shards, processCount(plan.size())));
    else
        m_caption->setText(tr("%1 in %2, all started after %3")
                               .arg(shards, processCount(plan.size()),
                                    seconds(plan.constLast().startOffsetMs, decimals))
                           + roughly(plan.constLast().startOffsetMs));
}

void PlanPreview::showAuto(int shardsPerProcess, int waitTimeMs)
{
    if (alreadyShown({true, 0, shardsPerProcess, waitTimeMs, m_recommended, m_concurrency}))
        return;
    if (m_recommended > 0 && shardsPerProcess <= m_recommended) {
        // Discord has answered: show the plan it leads to.
        renderPlan(m_recommended, shardsPerProcess, waitTimeMs);
        m_caption->setText(m_caption->text() + tr(" (Discord's recommended count)"));
        return;
    }
    m_warning->hide();

    addSpannedRow(tr("The plan is made when Discord answers"));
    m_caption->setText(
        tr("Discord's recommended shard count is asked for at start; each process "
           "then gets %1, started %2 apart.")
            .arg(shardCount(shardsPerProcess), seconds(waitTimeMs, decimalsFor(waitTimeMs))));
}
