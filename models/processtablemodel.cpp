#include "processtablemodel.h"

#include "engine/abstractengine.h"
#include "output/ansi.h"
#include "process/resourcemonitor.h"
#include "text/units.h"

#include <QColor>
#include <QDateTime>
#include <QJsonObject>
#include <QMap>

using namespace Qt::StringLiterals;

namespace {

qint64 uptimeSeconds(const ProcessView *p)
{
    if (p->state() != ProcessState::Running && p->state() != ProcessState::Stopping)
        return -1;
    return p->startedAt().secsTo(QDateTime::currentDateTime());
}

} // namespace

ProcessTableModel::ProcessTableModel(AbstractEngine *engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    m_rows = engine->processCount();
    // Rows go before the engine deletes its processes and come back once the new ones exist.
    connect(engine, &AbstractEngine::processesAboutToBeRebuilt, this, [this] {
        beginResetModel();
        m_rows = 0;
    });
    connect(engine, &AbstractEngine::processesRebuilt, this, &ProcessTableModel::rebuild);
    connect(engine, &AbstractEngine::processStateChanged, this,
            [this](int process, ProcessState) { rowChanged(process); });
    connect(engine, &AbstractEngine::processStarted, this,
            [this](int process, qint64) { rowChanged(process); });
    connect(engine, &AbstractEngine::processExited, this,
            [this](int process, const ExitInfo &info) {
        if (process < 0 || process >= m_rows)
            return;
        // Guilds and ping were the ended run's: shown no more until the next run reports.
        m_staleStats.insert(process);
        if (!info.requested)
            ++m_unexpectedExits[process];
        rowChanged(process);
    });
    connect(engine, &AbstractEngine::statsReceived, this, [this](int process, const QJsonObject &) {
        m_staleStats.remove(process);
        rowChanged(process);
    });
    connect(engine, &AbstractEngine::ipcConnectionsChanged, this, [this] { columnChanged(Ipc); });
    connect(engine, &AbstractEngine::resourcesSampled, this, [this] {
        columnChanged(Memory);
        columnChanged(Cpu);
    });
    connect(engine, &AbstractEngine::shardStateChanged, this,
            [this](int process, const ShardState &) {
        if (process >= 0 && process < m_rows)
            emit dataChanged(index(process, Gateway), index(process, Gateway));
    });
    connect(engine, &AbstractEngine::linesRead, this,
            [this](int process, bool, const QStringList &lines) {
        if (process < 0 || process >= m_rows || lines.isEmpty())
            return;
        // Only remembered here; shown by the timer, so a flood costs one repaint per tick.
        m_lastLines[process] = lines.last();
        m_dirtyLastLines.insert(process);
        if (!m_lastLineTimer.isActive())
            m_lastLineTimer.start();
    });

    m_lastLineTimer.setSingleShot(true);
    m_lastLineTimer.setInterval(200);
    connect(&m_lastLineTimer, &QTimer::timeout, this, &ProcessTableModel::flushLastLines);
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &ProcessTableModel::tick);
    m_tickTimer.start();
}

void ProcessTableModel::rebuild()
{
    m_rows = m_engine->processCount();
    m_lastLines.clear();
    m_dirtyLastLines.clear();
    m_staleStats.clear();
    m_unexpectedExits.clear();
    endResetModel();
}

void ProcessTableModel::rowChanged(int row)
{
    if (row >= 0 && row < m_rows)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProcessTableModel::columnChanged(int column)
{
    if (m_rows > 0)
        emit dataChanged(index(0, column), index(m_rows - 1, column));
}

void ProcessTableModel::flushLastLines()
{
    for (int row : std::as_const(m_dirtyLastLines)) {
        if (row < m_rows)
            emit dataChanged(index(row, LastLine), index(row, LastLine));
    }
    m_dirtyLastLines.clear();
}

void ProcessTableModel::tick()
{
    // Uptime and "restarting in N s" move with the clock.
    if (m_rows > 0) {
        columnChanged(Uptime);
        columnChanged(State);
    }
}

int ProcessTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ProcessTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor ProcessTableModel::stateColor(int state)
{
    switch (ProcessState(state)) {
    case ProcessState::Running: return QColor(0x2e, 0x9d, 0x4f);
    case ProcessState::Starting:
    case ProcessState::Stopping: return QColor(0x2f, 0x7d, 0xd1);
    case ProcessState::Restarting: return QColor(0xe0, 0x8a, 0x1e);
    case ProcessState::Exited: return QColor(0xc0, 0x5a, 0x1a);
    case ProcessState::CrashLoop: return QColor(0xd0, 0x2b, 0x2b);
    case ProcessState::Pending:
    case ProcessState::Stopped: break;
    }
    return QColor(0x8a, 0x8a, 0x8a);
}

QColor ProcessTableModel::levelColor(int level)
{
    switch (level) {
    case 1: return QColor(0xe0, 0x8a, 0x1e);
    case 2: return QColor(0xd0, 0x2b, 0x2b);
    default: break;
    }
    return QColor(0x2f, 0x7d, 0xd1);
}

int ProcessTableModel::memoryLevel(int row) const
{
    const ResourceHistory &h = m_engine->resources(row);
    if (!h.hasSample)
        return 0;
    const Profile &p = m_engine->profile();
    return h.last.rssBytes > p.memoryLimit ? 2 : h.last.rssBytes > p.memoryWarn ? 1 : 0;
}

QVariant ProcessTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ProcessView *p = m_engine->process(index.row());
    if (!p)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return display(index.row(), column);
    case SortRole: return sortValue(index.row(), column);
    case StateRole: return int(p->state());
    case ProcessIndexRole: return p->index();
    case HistoryRole:
        if (column == Memory || column == Cpu) {
            QList<qreal> values;
            for (const ResourcePoint &point : m_engine->resources(index.row()).recent)
                values.append(column == Memory ? qreal(point.rssBytes) : qreal(point.cpuPercent));
            return QVariant::fromValue(values);
        }
        break;
    case ScaleRole:
        // Memory against the limit, so the line's height says how close the ceiling is.
        if (column == Memory)
            return qreal(m_engine->profile().memoryLimit);
        if (column == Cpu)
            return qreal(100);
        break;
    case LevelRole:
        if (column == Memory)
            return memoryLevel(index.row());
        break;
    case Qt::DecorationRole:
        if (column == State)
            return stateColor(int(p->state()));
        break;
    case Qt::ForegroundRole:
        if (column == State && p->state() == ProcessState::CrashLoop)
            return stateColor(int(p->state()));
        if (column == Memory && memoryLevel(index.row()) > 0)
            return levelColor(memoryLevel(index.row()));
        break;
    case Qt::ToolTipRole:
        if (column == LastExit && p->hasExited())
            return p->lastExit().restartHeldBack.isEmpty()
                ? p->lastExit().describe()
                : tr("%1; not restarted: %2")
                      .arg(p->lastExit().describe(), p->lastExit().restartHeldBack);
        if (column == State && p->state() == ProcessState::Exited
            && !p->lastExit().restartHeldBack.isEmpty())
            return tr("Not restarted automatically: %1").arg(p->lastExit().restartHeldBack);
        if (column == Gateway) {
            // The summary first: it may be elided in its cell.
            const QString summary = gatewaySummary(index.row());
            return summary.isEmpty() ? QVariant()
                                     : QVariant(summary + u'\n' + gatewayDetails(index.row()));
        }
        if (column == Memory && memoryLevel(index.row()) > 0)
            return memoryLevel(index.row()) == 2
                ? tr("Over memoryLimit (%1)").arg(Units::dataSize(m_engine->profile().memoryLimit))
                : tr("Over memoryWarn (%1)").arg(Units::dataSize(m_engine->profile().memoryWarn));
        if (column == LastLine)
            return m_lastLines.value(index.row());
        if (column == Restarts)
            return restartsTip(index.row());
        if (column == State && p->state() == ProcessState::CrashLoop)
            return tr("Crashed more than %1 times in %2 s; automatic restarts stopped. Start it by "
                      "hand when fixed.")
                .arg(m_engine->profile().maxRestarts)
                .arg(m_engine->profile().restartWindow / 1000);
        if (column == State) // whole, should the column be too narrow for it
            return display(index.row(), column);
        break;
    case Qt::TextAlignmentRole:
        if (column == Pid || column == Restarts || column == Ipc || column == Guilds
            || column == Ping || column == Memory || column == Cpu)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return {};
}

QVariant ProcessTableModel::display(int row, int column) const
{
    const ProcessView *p = m_engine->process(row);
    const ShardRange &r = p->range();
    switch (Column(column)) {
    case Process: return r.process;
    case Shards:
        return r.first == r.last ? QString::number(r.first) : u"%1–%2"_s.arg(r.first).arg(r.last);
    case State:
        if (p->state() == ProcessState::Restarting && p->restartAt().isValid()) {
            const qint64 left
                = std::max<qint64>(0, QDateTime::currentDateTime().secsTo(p->restartAt()));
            return tr("restarting in %1 s").arg(left);
        }
        return processStateText(p->state());
    case Gateway: return gatewaySummary(row);
    case Pid: return p->pid() > 0 ? QVariant(p->pid()) : QVariant();
    case Uptime: {
        const qint64 s = uptimeSeconds(p);
        return s >= 0 ? Units::duration(s * 1000) : QString();
    }
    case Memory: {
        const ResourceHistory &h = m_engine->resources(row);
        if (!h.hasSample || p->pid() <= 0)
            return {};
        return Units::dataSize(h.last.rssBytes);
    }
    case Cpu: {
        const ResourceHistory &h = m_engine->resources(row);
        if (!h.hasSample || p->pid() <= 0)
            return {};
        return u"%1%"_s.arg(double(h.last.cpuPercent), 0, 'f', 1);
    }
    case Restarts: return m_unexpectedExits.value(row);
    case LastExit: {
        if (!p->hasExited())
            return QString();
        const ExitInfo &exit = p->lastExit();
        // Asked for: "exit code 0" would read as something the bot did on its own.
        if (exit.requested)
            return exit.crashed ? tr("stopped (%1)").arg(exit.describe()) : tr("stopped");
        return exit.describe();
    }
    case Ipc:
        return m_engine->isSessionOpen() ? QVariant(m_engine->ipcConnectionCount(row)) : QVariant();
    case Guilds:
    case Ping: {
        const QJsonValue v = currentStats(row).value(column == Guilds ? u"guilds"_s : u"ping"_s);
        if (!v.isDouble())
            return {};
        return column == Ping ? QVariant(tr("%1 ms").arg(v.toDouble(), 0, 'f', 0))
                              : QVariant(v.toInteger());
    }
    case LastLine: return Ansi::strip(m_lastLines.value(row)).left(300);
    case ColumnCount: break;
    }
    return {};
}

QVariant ProcessTableModel::sortValue(int row, int column) const
{
    const ProcessView *p = m_engine->process(row);
    switch (Column(column)) {
    case Process:
    case Shards: return p->range().process;
    case State: return int(p->state());
    case Pid: return p->pid();
    case Uptime: return uptimeSeconds(p);
    case Memory:
        return m_engine->resources(row).hasSample ? m_engine->resources(row).last.rssBytes : -1;
    case Cpu:
        return m_engine->resources(row).hasSample ? double(m_engine->resources(row).last.cpuPercent)
                                                  : -1.0;
    case Restarts: return m_unexpectedExits.value(row);
    case Ipc: return m_engine->ipcConnectionCount(row);
    case Guilds: return currentStats(row).value(u"guilds"_s).toDouble(-1);
    case Ping: return currentStats(row).value(u"ping"_s).toDouble(-1);
    default: break;
    }
    return display(row, column);
}

QList<ShardState> ProcessTableModel::currentShardStates(int row) const
{
    const ProcessView *p = m_engine->process(row);
    if (!p || (p->state() != ProcessState::Running && p->state() != ProcessState::Stopping))
        return {};
    // The engine keeps what the last run said; a restarted process has not said it yet.
    QList<ShardState> states = m_engine->shardStates(row);
    const QDateTime since = p->startedAt();
    states.removeIf([&since](const ShardState &s) {
        return since.isValid() && s.changedAt.isValid() && s.changedAt < since;
    });
    return states;
}

QJsonObject ProcessTableModel::currentStats(int row) const
{
    const ProcessView *p = m_engine->process(row);
    if (!p || m_staleStats.contains(row)
        || (p->state() != ProcessState::Running && p->state() != ProcessState::Stopping))
        return {};
    return m_engine->ipcStats(row);
}

QString ProcessTableModel::restartsTip(int row) const
{
    const ProcessView *p = m_engine->process(row);
    return tr("Exits nobody asked for (crashes, a bot that quit): %1. Restarts in all, manual "
              "ones included: %2")
        .arg(m_unexpectedExits.value(row))
        .arg(p->restarts());
}

QString ProcessTableModel::gatewaySummary(int row) const
{
    const QList<ShardState> states = currentShardStates(row);
    if (states.isEmpty())
        return QString();
    int ready = 0;
    QMap<QString, int> others;
    for (const ShardState &s : states) {
        if (s.state == u"ready"_s || s.state == u"resumed"_s)
            ++ready;
        else
            ++others[s.state];
    }
    return gatewayText(ready, m_engine->process(row)->range().shardCount(), others);
}

QString ProcessTableModel::gatewayText(int ready, int shards, const QMap<QString, int> &others)
{
    QString text = tr("%1/%2 ready").arg(ready).arg(shards);
    for (auto it = others.cbegin(); it != others.cend(); ++it)
        text += u", %1 %2"_s.arg(it.value()).arg(it.key());
    return text;
}

QStringList ProcessTableModel::typicalTexts(int column) const
{
    const Profile &profile = m_engine->profile();
    QStringList texts;
    if (column == State) {
        for (int state = int(ProcessState::Pending); state <= int(ProcessState::CrashLoop); ++state)
            texts << processStateText(ProcessState(state));
        // The delay doubles up to restartDelayMax; the count starts there, rounded up.
        const int longest = std::max(profile.restartDelay, profile.restartDelayMax);
        texts << tr("restarting in %1 s").arg((longest + 999) / 1000);
    } else if (column == Gateway) {
        // One shard of a process reconnecting (the longest state word) while the others are up.
        const int shards = std::max(1, profile.shardsPerProcess);
        texts << gatewayText(shards - 1, shards, {{u"reconnecting"_s, 1}});
    }
    return texts;
}

QString ProcessTableModel::gatewayDetails(int row) const
{
    QStringList lines;
    for (const ShardState &s : currentShardStates(row)) {
        QString line = tr("Shard %1: %2 since %3")
                           .arg(s.shard)
                           .arg(s.state, s.changedAt.toString(u"HH:mm:ss"_s));
        if (s.closeCode)
            line += u" (%1 %2)"_s.arg(s.closeCode).arg(s.detail);
        lines << line;
    }
    return lines.join(u'\n');
}

QVariant ProcessTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Process: return tr("Process");
    case Shards: return tr("Shards");
    case State: return tr("State");
    case Gateway: return tr("Gateway");
    case Pid: return tr("PID");
    case Uptime: return tr("Uptime");
    case Memory: return tr("Memory");
    case Cpu: return tr("CPU");
    case Restarts: return tr("Restarts");
    case LastExit: return tr("Last exit");
    case Ipc: return tr("IPC");
    case Guilds: return tr("Guilds");
    case Ping: return tr("Ping");
    case LastLine: return tr("Last line");
    case ColumnCount: break;
    }
    return {};
}

qsizetype ProcessTableModel::keptRowCount() const
{
    QSet<int> rows = m_dirtyLastLines;
    for (auto it = m_lastLines.cbegin(); it != m_lastLines.cend(); ++it)
        rows.insert(it.key());
    for (auto it = m_unexpectedExits.cbegin(); it != m_unexpectedExits.cend(); ++it)
        rows.insert(it.key());
    rows.unite(m_staleStats);
    return rows.size();
}

QString ProcessTableModel::rowsAsText(const QList<int> &rows) const
{
    QStringList headers;
    for (int column = 0; column < ColumnCount; ++column)
        headers << headerData(column, Qt::Horizontal).toString();
    QStringList lines {headers.join(u'\t')};
    for (int row : rows) {
        if (row < 0 || row >= m_rows)
            continue;
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column) {
            // A tab or line break inside a cell would shift the columns of whatever reads it.
            QString text = display(row, column).toString();
            text.replace(u'\t', u' ').replace(u'\n', u' ');
            cells << text;
        }
        lines << cells.join(u'\t');
    }
    return lines.join(u'\n') + u'\n';
}
