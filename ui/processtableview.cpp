#include "processtableview.h"

#include "processtablemodel.h"
#include "sparklinedelegate.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>

#include <algorithm>

using namespace Qt::StringLiterals;

ProcessTableView::ProcessTableView(ProcessTableModel *model, QWidget *parent)
    : QTableView(parent)
    , m_source(model)
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(u"processTable"_s);
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ProcessTableModel::SortRole);
    setModel(m_proxy);
    setSortingEnabled(true);
    sortByColumn(ProcessTableModel::Process, Qt::AscendingOrder);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setShowGrid(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
    const int em = fontMetrics().horizontalAdvance(u'M');
    setColumnWidth(ProcessTableModel::Process, em * 6);
    setColumnWidth(ProcessTableModel::Shards, em * 6);
    fitTextColumns();
    setColumnWidth(ProcessTableModel::Pid, em * 5);
    setColumnWidth(ProcessTableModel::Uptime, em * 7);
    setColumnWidth(ProcessTableModel::Memory, em * 11);
    setColumnWidth(ProcessTableModel::Cpu, em * 7);
    auto *sparklines = new SparklineDelegate(this);
    setItemDelegateForColumn(ProcessTableModel::Memory, sparklines);
    setItemDelegateForColumn(ProcessTableModel::Cpu, sparklines);
    setColumnWidth(ProcessTableModel::Restarts, em * 5);
    setColumnWidth(ProcessTableModel::LastExit, em * 8);
    setColumnWidth(ProcessTableModel::Ipc, em * 3);
    setColumnWidth(ProcessTableModel::Guilds, em * 5);
    setColumnWidth(ProcessTableModel::Ping, em * 5);

    connect(this, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit openLogRequested(index.data(ProcessTableModel::ProcessIndexRole).toInt());
    });
    connect(selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ProcessTableView::selectionChangedProcesses);
    // Another profile: another longest restart delay, another number of shards per process.
    connect(model, &QAbstractItemModel::modelReset, this, &ProcessTableView::fitTextColumns);
}

void ProcessTableView::fitTextColumns()
{
    for (int column : {ProcessTableModel::State, ProcessTableModel::Gateway}) {
        // Measured as the delegate lays a cell out: margins, and the state's colour sign.
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        option.features |= QStyleOptionViewItem::HasDisplay;
        if (column == ProcessTableModel::State)
            option.features |= QStyleOptionViewItem::HasDecoration;
        int width = horizontalHeader()->sectionSizeHint(column);
        for (const QString &text : m_source->typicalTexts(column)) {
            option.text = text;
            width = std::max(
                width,
                style()->sizeFromContents(QStyle::CT_ItemViewItem, &option, {}, this).width());
        }
        if (columnWidth(column) < width)
            setColumnWidth(column, width);
    }
}

QList<int> ProcessTableView::selectedProcesses() const
{
    QList<int> processes;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        processes << index.data(ProcessTableModel::ProcessIndexRole).toInt();
    std::sort(processes.begin(), processes.end());
    return processes;
}

void ProcessTableView::selectProcess(int process)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(ProcessTableModel::ProcessIndexRole).toInt() == process) {
            selectionModel()->select(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            // Not setCurrentIndex: with Ctrl held (a shortcut just typed) it toggles the row out
            // of the selection again.
            selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
            return;
        }
    }
}

void ProcessTableView::contextMenuEvent(QContextMenuEvent *event)
{
    if (m_contextActions.isEmpty())
        return;
    QMenu menu(this);
    menu.addActions(m_contextActions);
    menu.exec(event->globalPos());
}

void ProcessTableView::copySelection() const
{
    QList<int> rows;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (selectionModel()->isRowSelected(row))
            rows << m_proxy->mapToSource(m_proxy->index(row, 0)).row();
    }
    if (rows.isEmpty() && currentIndex().isValid())
        rows << m_proxy->mapToSource(currentIndex()).row();
    if (!rows.isEmpty())
        QGuiApplication::clipboard()->setText(m_source->rowsAsText(rows));
}

void ProcessTableView::keyPressEvent(QKeyEvent *event)
{
    // Whole rows, as a person pastes them into a chat or a spreadsheet; Qt copies one cell.
    if (event == QKeySequence::Copy) {
        copySelection();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && currentIndex().isValid()) {
        emit openLogRequested(currentIndex().data(ProcessTableModel::ProcessIndexRole).toInt());
        return;
    }
    QTableView::keyPressEvent(event);
}
