#include "ipcmessagemodel.h"

#include "engine/abstractengine.h"
#include "ipc/ipccontrol.h"

#include <QFont>

using namespace Qt::StringLiterals;

IpcMessageModel::IpcMessageModel(AbstractEngine *engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &IpcMessageModel::flush);
    connect(engine, &AbstractEngine::ipcMessage, this,
            [this](int, int process, const QString &text) {
        const auto control = IpcControl::parse(text.toUtf8());
        const bool isControl = control && control->op != IpcControl::Message::Op::Relay;
        enqueue({QDateTime::currentDateTime(), process, text, false, isControl});
    });
}

void IpcMessageModel::recordSent(int process, const QString &text, int reached)
{
    enqueue({QDateTime::currentDateTime(), process, text, true, false, reached});
}

void IpcMessageModel::enqueue(Entry entry)
{
    m_queue.push_back(std::move(entry));
    if (qsizetype(m_queue.size()) > m_maximumRows) {
        m_queue.pop_front();
        ++m_dropped;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void IpcMessageModel::flush()
{
    m_flushTimer.stop();
    if (m_queue.empty())
        return;
    const qsizetype incoming = qsizetype(m_queue.size());
    const qsizetype overflow = qsizetype(m_rows.size()) + incoming - m_maximumRows;
    if (overflow > 0) {
        const qsizetype remove = std::min(overflow, qsizetype(m_rows.size()));
        beginRemoveRows({}, 0, int(remove - 1));
        m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
        endRemoveRows();
        m_dropped += remove;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(incoming) - 1);
    for (Entry &e : m_queue)
        m_rows.push_back(std::move(e));
    m_queue.clear();
    endInsertRows();
}

void IpcMessageModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_queue.clear();
    endResetModel();
}

int IpcMessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IpcMessageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IpcMessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry &e = m_rows.at(size_t(index.row()));
    if (role == ProcessRole)
        return e.process;
    if (role == SentRole)
        return e.sent;
    if (role == ControlRole)
        return e.control;
    if (role == TextRole)
        return e.text;
    if (role == Qt::FontRole && e.sent && index.column() == From) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && index.column() == Message)
        return e.text.left(4000);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Time: return e.time.toString(u"HH:mm:ss.zzz"_s);
    case From:
        if (e.sent && e.process < 0)
            return tr("→ all processes (reached %1)").arg(e.reached);
        if (e.sent) {
            const ProcessView *p = m_engine->process(e.process);
            return p ? tr("→ process %1 (shards %2–%3, reached %4)")
                           .arg(e.process)
                           .arg(p->range().first)
                           .arg(p->range().last)
                           .arg(e.reached)
                     : tr("→ process %1 (reached %2)").arg(e.process).arg(e.reached);
        }
        if (const ProcessView *p = m_engine->process(e.process))
            return tr("process %1 (shards %2–%3)")
                .arg(e.process)
                .arg(p->range().first)
                .arg(p->range().last);
        return tr("outside client");
    case Message: return e.text.left(1000);
    case ColumnCount: break;
    }
    return {};
}

QVariant IpcMessageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time: return tr("Time");
    case From: return tr("From");
    case Message: return tr("Message");
    case ColumnCount: break;
    }
    return {};
}
