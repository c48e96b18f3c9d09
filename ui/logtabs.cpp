#include "logtabs.h"

#include "engine/abstractengine.h"
#include "logpane.h"

#include <QTabBar>

using namespace Qt::StringLiterals;

LogTabs::LogTabs(AbstractEngine *engine, QWidget *parent)
    : QTabWidget(parent)
    , m_engine(engine)
    , m_all(new LogPane(this))
{
    setObjectName(u"logTabs"_s);
    setDocumentMode(true);
    setTabsClosable(true);
    setMovable(true);
    m_all->setObjectName(u"logPane_all"_s);
    addTab(m_all, tr("All processes"));
    // The "All" tab cannot be closed: remove its close button.
    tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);

    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        auto *pane = qobject_cast<LogPane *>(widget(index));
        if (!pane || pane == m_all)
            return;
        m_panes.remove(m_panes.key(pane));
        removeTab(index);
        pane->deleteLater();
    });
    adopt(m_all);
    connect(engine, &AbstractEngine::linesRead, this, &LogTabs::onLines);
    connect(engine, &AbstractEngine::processesRebuilt, this, &LogTabs::closeProcessPanes);
}

QString LogTabs::prefix(int process) const
{
    const ProcessView *p = m_engine->process(process);
    if (!p)
        return QString();
    const ShardRange &r = p->range();
    return r.first == r.last ? u"[%1] "_s.arg(r.first) : u"[%1–%2] "_s.arg(r.first).arg(r.last);
}

void LogTabs::onLines(int process, bool isStderr, const QStringList &lines)
{
    m_all->appendLines(prefix(process), isStderr, lines);
    if (LogPane *pane = m_panes.value(process))
        pane->appendLines(QString(), isStderr, lines);
    emit linesArrived();
}

LogPane *LogTabs::openProcess(int process)
{
    const ProcessView *p = m_engine->process(process);
    if (!p)
        return nullptr;
    LogPane *pane = m_panes.value(process);
    if (!pane) {
        pane = new LogPane(this);
        pane->setObjectName(u"logPane_%1"_s.arg(process));
        // A pane opened late starts with what the engine kept of this process.
        pane->showHistory(QString(), p->recentLines().lines());
        m_panes.insert(process, pane);
        adopt(pane);
        const ShardRange &r = p->range();
        const int index = addTab(pane,
                                 r.first == r.last ? tr("Shard %1").arg(r.first)
                                                   : tr("Shards %1–%2").arg(r.first).arg(r.last));
        setTabToolTip(index, tr("Process %1").arg(process));
    }
    setCurrentWidget(pane);
    return pane;
}

void LogTabs::adopt(LogPane *pane)
{
    // A line cap chosen in one pane is the cap of every pane.
    connect(pane, &LogPane::maximumLinesChosen, this, [this](int lines) {
        m_all->setMaximumLines(lines);
        for (LogPane *other : std::as_const(m_panes))
            other->setMaximumLines(lines);
    });
    connect(pane, &LogPane::fontSizeStepChosen, this, [this](int points) {
        m_all->setFontSizeStep(points);
        for (LogPane *other : std::as_const(m_panes))
            other->setFontSizeStep(points);
    });
}

void LogTabs::closeProcessPanes()
{
    for (LogPane *pane : std::as_const(m_panes)) {
        removeTab(indexOf(pane));
        pane->deleteLater();
    }
    m_panes.clear();
}
