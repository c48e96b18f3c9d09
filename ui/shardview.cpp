#include "shardview.h"

#include "shardviewmodel.h"
#include "text/units.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

ShardView::ShardView(AbstractEngine *engine, QWidget *parent)
    : QWidget(parent)
    , m_model(new ShardViewModel(engine, this))
    , m_totals(new QLabel(this))
    , m_goTo(new QSpinBox(this))
    , m_table(new QTableView(this))
{
    setObjectName(u"shardView"_s);
    m_totals->setObjectName(u"shardTotals"_s);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_goTo->setObjectName(u"shardGoTo"_s);
    m_goTo->setPrefix(tr("Go to shard "));
    m_goTo->setKeyboardTracking(false);
    m_table->setObjectName(u"shardTable"_s);
    // No sorting proxy: rows are in shard order already, and a proxy over 100,000 rows would
    // re-sort on every second's Age update.
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Uniform rows: the view never measures 100,000 of them.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int em = fontMetrics().horizontalAdvance(u'M');
    m_table->setColumnWidth(ShardViewModel::Shard, em * 5);
    m_table->setColumnWidth(ShardViewModel::Process, em * 5);
    m_table->setColumnWidth(ShardViewModel::State, em * 9);
    m_table->setColumnWidth(ShardViewModel::Ping, em * 5);
    m_table->setColumnWidth(ShardViewModel::Guilds, em * 5);
    m_table->setColumnWidth(ShardViewModel::Age, em * 6);

    auto *header = new QHBoxLayout;
    header->addWidget(m_totals, 1);
    header->addWidget(m_goTo);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_table);

    connect(m_goTo, &QSpinBox::valueChanged, this, [this](int shard) {
        const int row = m_model->rowOfShard(shard);
        if (row < 0)
            return;
        m_table->selectRow(row);
        m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit openLogRequested(index.data(ShardViewModel::ProcessIndexRole).toInt());
    });
    m_totalsTimer.setSingleShot(true);
    m_totalsTimer.setInterval(200);
    connect(&m_totalsTimer, &QTimer::timeout, this, &ShardView::updateTotals);
    connect(m_model, &ShardViewModel::totalsChanged, &m_totalsTimer, qOverload<>(&QTimer::start));
    connect(m_model, &QAbstractItemModel::modelReset, this, &ShardView::updateTotals);
    updateTotals();
}

QString ShardView::totalsText() const
{
    return m_totals->text();
}

void ShardView::updateTotals()
{
    const ShardTotals t = m_model->totals();
    m_goTo->setRange(0, std::max(0, t.total - 1));
    QStringList parts;
    parts << tr("Shards ready: %1/%2").arg(t.ready).arg(t.total);
    if (t.guilds >= 0)
        parts << tr("Guilds: %1").arg(t.guilds);
    if (t.averagePing >= 0)
        parts << tr("Average ping: %1 ms").arg(std::lround(t.averagePing));
    if (t.memoryBytes > 0)
        parts << tr("Memory: %1").arg(Units::dataSize(t.memoryBytes));
    m_totals->setText(parts.join(u"   ·   "_s));
}
