#include "shardviewmodel.h"

#include "engine/abstractengine.h"
#include "process/resourcemonitor.h"
#include "processtablemodel.h"
#include "text/units.h"

#include <QColor>
#include <QDateTime>
#include <QJsonObject>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

bool isUp(const QString &state)
{
    return state == u"ready"_s || state == u"resumed"_s;
}

// A process whose run may have shard states: anything else shows none (issue 14: values that
// belong to a run are cleared when it ends).
bool isRunning(const ProcessView *p)
{
    return p
        && (p->state() == ProcessState::Starting || p->state() == ProcessState::Running
            || p->state() == ProcessState::Stopping);
}

QString ageText(const QDateTime &at)
{
    return Units::duration(std::max<qint64>(0, at.msecsTo(QDateTime::currentDateTime())));
}

} // namespace

ShardViewModel::ShardViewModel(AbstractEngine *engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    connect(engine, &AbstractEngine::processesAboutToBeRebuilt, this, [this] {
        beginResetModel();
        m_rows = 0;
        m_firstRow.clear();
        m_firstShard.clear();
        m_states.clear();
    });
    connect(engine, &AbstractEngine::processesRebuilt, this, [this] {
        rebuild();
        endResetModel();
        emit totalsChanged();
    });
    connect(engine, &AbstractEngine::shardStateChanged, this,
            [this](int process, const ShardState &state) {
        if (process < 0 || process >= m_firstRow.size() || !isRunning(m_engine->process(process)))
            return;
        m_states[process][state.shard] = state;
        const int row = rowOfShard(state.shard);
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        emit totalsChanged();
    });
    // A new run starts with no states; a run that ended leaves none behind.
    connect(engine, &AbstractEngine::processStarted, this,
            [this](int process, qint64) { forgetProcess(process); });
    connect(engine, &AbstractEngine::processStateChanged, this, [this](int process, ProcessState) {
        if (!isRunning(m_engine->process(process)))
            forgetProcess(process);
        processChanged(process);
    });
    connect(engine, &AbstractEngine::statsReceived, this,
            [this](int process, const QJsonObject &) { processChanged(process); });
    connect(engine, &AbstractEngine::resourcesSampled, this, &ShardViewModel::totalsChanged);

    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, [this] {
        if (m_rows > 0 && !m_states.isEmpty())
            emit dataChanged(index(0, Age), index(m_rows - 1, Age));
    });
    m_tickTimer.start();

    beginResetModel();
    rebuild();
    endResetModel();
}

void ShardViewModel::rebuild()
{
    const int processes = m_engine->processCount();
    m_firstRow.resize(processes);
    m_firstShard.resize(processes);
    m_states.clear();
    int row = 0;
    for (int i = 0; i < processes; ++i) {
        const ProcessView *p = m_engine->process(i);
        m_firstRow[i] = row;
        m_firstShard[i] = p->range().first;
        row += p->range().shardCount();
        // Attached to a running service: the states it already knows, of the current runs only.
        if (!isRunning(p))
            continue;
        for (const ShardState &s : m_engine->shardStates(i)) {
            if (!s.changedAt.isValid() || !p->startedAt().isValid()
                || s.changedAt >= p->startedAt())
                m_states[i][s.shard] = s;
        }
    }
    m_rows = row;
}

void ShardViewModel::forgetProcess(int process)
{
    if (m_states.remove(process) > 0)
        processChanged(process);
}

void ShardViewModel::processChanged(int process)
{
    if (process < 0 || process >= m_firstRow.size())
        return;
    const int first = m_firstRow[process];
    const int count = m_engine->process(process)->range().shardCount();
    if (count > 0)
        emit dataChanged(index(first, 0), index(first + count - 1, ColumnCount - 1));
    emit totalsChanged();
}

int ShardViewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ShardViewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ShardViewModel::processOfRow(int row) const
{
    if (row < 0 || row >= m_rows)
        return -1;
    const auto it = std::upper_bound(m_firstRow.cbegin(), m_firstRow.cend(), row);
    return int(it - m_firstRow.cbegin()) - 1;
}

int ShardViewModel::rowOfShard(int shard) const
{
    // Shard ids follow the rows: process i owns the ids from its first shard on.
    const auto it = std::upper_bound(m_firstShard.cbegin(), m_firstShard.cend(), shard);
    const int process = int(it - m_firstShard.cbegin()) - 1;
    if (process < 0)
        return -1;
    const ShardRange &range = m_engine->process(process)->range();
    return shard <= range.last ? m_firstRow[process] + shard - range.first : -1;
}

const ShardState *ShardViewModel::stateOf(int process, int shard) const
{
    const auto p = m_states.constFind(process);
    if (p == m_states.cend())
        return nullptr;
    const auto s = p->constFind(shard);
    return s == p->cend() ? nullptr : &*s;
}

QJsonValue ShardViewModel::shardStat(int process, int shard, const QString &key) const
{
    // {"op":"stats","shards":{"3":{"guilds":150,"ping":42}}}: the bot's numbers per shard.
    return m_engine->ipcStats(process)
        .value(u"shards"_s)
        .toObject()
        .value(QString::number(shard))
        .toObject()
        .value(key);
}

QVariant ShardViewModel::data(const QModelIndex &index, int role) const
{
    const int row = index.row();
    const int process = processOfRow(row);
    if (!index.isValid() || process < 0)
        return {};
    const int shard = m_firstShard[process] + row - m_firstRow[process];
    const bool running = isRunning(m_engine->process(process));
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case SortRole: return sortValue(row, index.column());
    case ProcessIndexRole: return process;
    case Qt::TextAlignmentRole:
        if (index.column() == Shard || index.column() == Process || index.column() == Ping
            || index.column() == Guilds || index.column() == Age)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == State) {
            const ShardState *s = stateOf(process, shard);
            if (s && isUp(s->state))
                return ProcessTableModel::stateColor(int(ProcessState::Running));
            if (s && (s->state == u"invalidated"_s || s->state == u"closed"_s))
                return ProcessTableModel::stateColor(int(ProcessState::Exited));
        }
        if (index.column() == Ping && running && shardStat(process, shard, u"ping"_s).isUndefined())
            return QPalette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Ping && running && shardStat(process, shard, u"ping"_s).isUndefined())
            return tr("The process's ping: the bot sends no ping per shard.");
        if (const ShardState *s = stateOf(process, shard); s && index.column() >= State)
            return s->closeCode ? u"%1 %2"_s.arg(s->closeCode).arg(s->detail) : s->detail;
        return {};
    default: return {};
    }
}

QVariant ShardViewModel::display(int row, int column) const
{
    const int process = processOfRow(row);
    const int shard = m_firstShard[process] + row - m_firstRow[process];
    const ShardState *s = stateOf(process, shard);
    const bool running = isRunning(m_engine->process(process));
    switch (column) {
    case Shard: return shard;
    case Process: return process;
    case State:
        if (!s)
            return running ? tr("waiting") : QString();
        return s->closeCode ? u"%1 (%2)"_s.arg(s->state).arg(s->closeCode) : s->state;
    case Ping: {
        if (!running)
            return {};
        QJsonValue v = shardStat(process, shard, u"ping"_s);
        if (v.isUndefined())
            v = m_engine->ipcStats(process).value(u"ping"_s);
        return v.isDouble() ? tr("%1 ms").arg(v.toDouble()) : QString();
    }
    case Guilds: {
        const QJsonValue v = running ? shardStat(process, shard, u"guilds"_s) : QJsonValue();
        return v.isDouble() ? QString::number(qint64(v.toDouble())) : QString();
    }
    case LastEvent: return s ? s->detail : QString();
    case Age: return s && s->changedAt.isValid() ? ageText(s->changedAt) : QString();
    default: return {};
    }
}

QVariant ShardViewModel::sortValue(int row, int column) const
{
    const int process = processOfRow(row);
    const int shard = m_firstShard[process] + row - m_firstRow[process];
    const ShardState *s = stateOf(process, shard);
    switch (column) {
    case Ping: {
        QJsonValue v = shardStat(process, shard, u"ping"_s);
        if (v.isUndefined())
            v = m_engine->ipcStats(process).value(u"ping"_s);
        return isRunning(m_engine->process(process)) ? v.toDouble(-1) : -1.0;
    }
    case Guilds: return shardStat(process, shard, u"guilds"_s).toDouble(-1);
    case Age: return s ? s->changedAt.toMSecsSinceEpoch() : 0;
    default: return display(row, column);
    }
}

QVariant ShardViewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Shard: return tr("Shard");
    case Process: return tr("Process");
    case State: return tr("Gateway");
    case Ping: return tr("Ping");
    case Guilds: return tr("Guilds");
    case Age: return tr("Age");
    case LastEvent: return tr("Last event");
    default: return {};
    }
}

ShardTotals ShardViewModel::totals() const
{
    ShardTotals t;
    t.total = m_rows;
    double pingSum = 0;
    int pings = 0;
    for (auto p = m_states.cbegin(); p != m_states.cend(); ++p) {
        for (const ShardState &s : *p)
            t.ready += isUp(s.state) ? 1 : 0;
    }
    for (int i = 0; i < m_firstRow.size(); ++i) {
        if (!isRunning(m_engine->process(i)))
            continue;
        const QJsonObject stats = m_engine->ipcStats(i);
        if (const QJsonValue g = stats.value(u"guilds"_s); g.isDouble())
            t.guilds = std::max<qint64>(t.guilds, 0) + qint64(g.toDouble());
        if (const QJsonValue ping = stats.value(u"ping"_s); ping.isDouble()) {
            pingSum += ping.toDouble();
            ++pings;
        }
        const ResourceHistory &r = m_engine->resources(i);
        if (r.hasSample)
            t.memoryBytes += r.last.rssBytes;
    }
    if (pings > 0)
        t.averagePing = pingSum / pings;
    return t;
}
