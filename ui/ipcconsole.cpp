#include "ipcconsole.h"

#include "engine/abstractengine.h"
#include "ipcmessagemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

IpcConsole::IpcConsole(AbstractEngine *engine, IpcMessageModel *model, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_target(new QComboBox(this))
    , m_input(new QLineEdit(this))
    , m_result(new QLabel(this))
{
    setObjectName(u"ipcConsole"_s);
    m_view->setObjectName(u"ipcMessages"_s);
    m_view->setModel(model);
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
    m_input->setPlaceholderText(tr("Message to send over IPC (Enter sends)"));
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
    layout->addWidget(m_result);

    connect(m_input, &QLineEdit::returnPressed, this, &IpcConsole::send);
    connect(sendButton, &QPushButton::clicked, this, &IpcConsole::send);
    connect(clearButton, &QToolButton::clicked, model, &IpcMessageModel::clear);
    connect(engine, &AbstractEngine::processesRebuilt, this, &IpcConsole::rebuildTargets);
    // Follow new messages while the view sits at the bottom.
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->verticalScrollBar()->value() >= m_view->verticalScrollBar()->maximum() - 2)
            QMetaObject::invokeMethod(m_view, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });
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
    if (!m_engine->isSessionOpen()) {
        m_result->setText(tr("Not sent: no processes are running."));
        return;
    }
    const int reached = target < 0 ? m_engine->broadcast(text) : m_engine->sendTo(target, text);
    if (reached == 0) {
        m_result->setText(target < 0
                              ? tr("Not sent: no process is connected to IPC.")
                              : tr("Not sent: process %1 is not connected to IPC.").arg(target));
        return; // keep the text so it can be sent again
    }
    m_result->setText(tr("Sent to %n connection(s).", nullptr, reached));
    m_input->clear();
}
