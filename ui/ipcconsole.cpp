#include "ipcconsole.h"

#include "engine/abstractengine.h"
#include "ipcmessagemodel.h"
#include "service/remoteengine.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

IpcConsole::IpcConsole(AbstractEngine *engine, IpcMessageModel *model, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_model(model)
    , m_shown(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_showControl(new QCheckBox(tr("Show control messages"), this))
    , m_copy(new QAction(tr("Copy"), this))
    , m_target(new QComboBox(this))
    , m_input(new QLineEdit(this))
    , m_result(new QLabel(this))
{
    setObjectName(u"ipcConsole"_s);
    m_view->setObjectName(u"ipcMessages"_s);
    // Control lines come every few seconds from every process: hidden, they do not drown the
    // replies. ControlRole is true for them, so "false" passes.
    m_shown->setSourceModel(model);
    m_shown->setFilterRole(IpcMessageModel::ControlRole);
    m_shown->setFilterFixedString(u"false"_s);
    m_showControl->setObjectName(u"ipcShowControl"_s);
    m_showControl->setToolTip(tr("Also show the {\"op\":\"ready\"} and {\"op\":\"stats\"} lines"));
    connect(m_showControl, &QCheckBox::toggled, this,
            [this](bool show) { m_shown->setFilterFixedString(show ? QString() : u"false"_s); });
    m_view->setModel(m_shown);
    m_copy->setObjectName(u"ipcCopyAction"_s);
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copy, &QAction::triggered, this, &IpcConsole::copySelected);
    m_view->addAction(m_copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(IpcMessageModel::Time,
                           fontMetrics().horizontalAdvance(u"00:00:00.000__"_s));
    m_view->setColumnWidth(IpcMessageModel::From,
                           fontMetrics().horizontalAdvance(u"process 00 (shards 000–000)__"_s));

    m_target->setObjectName(u"ipcTarget"_s);
    m_target->setToolTip(tr("Who receives the message"));
    m_input->setObjectName(u"ipcInput"_s);
    m_input->setPlaceholderText(tr("Message to send over IPC (Enter sends, Up recalls)"));
    m_input->installEventFilter(this);
    m_input->setClearButtonEnabled(true);
    auto *sendButton = new QPushButton(tr("Send"), this);
    sendButton->setObjectName(u"ipcSend"_s);
    auto *clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear"));
    clearButton->setToolTip(tr("Clear the received messages"));
    m_result->setObjectName(u"ipcResult"_s);
    m_result->setForegroundRole(QPalette::PlaceholderText);

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("To:"), this));
    row->addWidget(m_target);
    row->addWidget(m_input, 1);
    row->addWidget(sendButton);
    row->addWidget(clearButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(row);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_result, 1);
    bottom->addWidget(m_showControl);
    layout->addLayout(bottom);

    connect(m_input, &QLineEdit::returnPressed, this, &IpcConsole::send);
    connect(sendButton, &QPushButton::clicked, this, &IpcConsole::send);
    connect(clearButton, &QToolButton::clicked, model, &IpcMessageModel::clear);
    connect(engine, &AbstractEngine::processesRebuilt, this, &IpcConsole::rebuildTargets);
    // Follow new messages while the view sits at the bottom; scrolling up stops that, scrolling
    // back down resumes it. Decided when the reader moves, not when rows come (the range grows
    // under a view that was at the bottom).
    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_following = value >= bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
    connect(m_shown, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_following)
            QMetaObject::invokeMethod(m_view, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });
    // From a service, the reach is known once its reply comes.
    if (auto *remote = qobject_cast<RemoteEngine *>(engine)) {
        connect(remote, &RemoteEngine::ipcSent, this,
                [this](int process, const QString &text, int reached) {
            m_model->recordSent(process, text, reached);
            m_result->setText(tr("Sent to %n connection(s).", nullptr, reached));
        });
    }
    rebuildTargets();
}

void IpcConsole::rebuildTargets()
{
    const int previous = m_target->currentData().toInt();
    m_target->clear();
    m_target->addItem(tr("All processes"), -1);
    for (int i = 0; i < m_engine->processCount(); ++i) {
        const ShardRange &r = m_engine->process(i)->range();
        m_target->addItem(tr("Process %1 (shards %2–%3)").arg(i).arg(r.first).arg(r.last), i);
    }
    setTarget(previous);
}

void IpcConsole::setTarget(int process)
{
    const int index = m_target->findData(process);
    m_target->setCurrentIndex(index >= 0 ? index : 0);
}

void IpcConsole::focusInput()
{
    m_input->setFocus(Qt::ShortcutFocusReason);
}

void IpcConsole::send()
{
    const QString text = m_input->text();
    if (text.isEmpty())
        return;
    const int target = m_target->currentData().toInt();
    if (m_history.isEmpty() || m_history.last() != text)
        m_history.append(text);
    m_historyIndex = int(m_history.size());
    m_typed.clear();
    if (!m_engine->isSessionOpen()) {
        m_result->setText(tr("Not sent: no processes are running."));
        return;
    }
    const int reached = target < 0 ? m_engine->broadcast(text) : m_engine->sendTo(target, text);
    if (qobject_cast<RemoteEngine *>(m_engine)) {
        // The count returned is the last known one: the reply says how many it reached.
        m_result->setText(tr("Sending…"));
        m_input->clear();
        return;
    }
    m_model->recordSent(target, text, reached);
    m_result->setText(tr("Sent to %n connection(s).", nullptr, reached));
    if (reached == 0) {
        m_result->setText(target < 0
                              ? tr("Not sent: no process is connected to IPC.")
                              : tr("Not sent: process %1 is not connected to IPC.").arg(target));
        return; // keep the text so it can be sent again
    }
    m_input->clear();
}

bool IpcConsole::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down) {
            recall(key == Qt::Key_Up ? -1 : 1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void IpcConsole::recall(int step)
{
    const int index = std::clamp(m_historyIndex + step, 0, int(m_history.size()));
    if (index == m_historyIndex)
        return;
    if (m_historyIndex == m_history.size())
        m_typed = m_input->text(); // Down past the newest brings it back
    m_historyIndex = index;
    m_input->setText(index < m_history.size() ? m_history.at(index) : m_typed);
}

void IpcConsole::copySelected()
{
    QStringList rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    QList<int> order;
    for (const QModelIndex &index : selected)
        order << index.row();
    std::sort(order.begin(), order.end());
    for (int row : std::as_const(order)) {
        rows << QStringList {m_shown->index(row, IpcMessageModel::Time).data().toString(),
                             m_shown->index(row, IpcMessageModel::From).data().toString(),
                             m_shown->index(row, IpcMessageModel::Message)
                                 .data(IpcMessageModel::TextRole)
                                 .toString()}
                    .join(u'\t');
    }
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(rows.join(u'\n') + u'\n');
}
