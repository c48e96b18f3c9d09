// The log pane's options and notes: the context menu with the line cap, arrival times, the
// note of a paused pane, and the manager's own lines. The drawing is in logpane.cpp.

#include "logpane.h"

#include <QAction>
#include <QDateTime>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSettings>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

void LogPane::appendNotice(const QString &prefix, const QString &text)
{
    commitHistory();
    add({prefix, text, QDateTime::currentMSecsSinceEpoch(), false, true});
    trimQueue(m_maxLines);
    scheduleDrain();
}

QString LogPane::timeText(const Entry &entry) const
{
    return QDateTime::fromMSecsSinceEpoch(entry.timeMs).time().toString(u"HH:mm:ss.zzz "_s);
}

void LogPane::setShowingTimes(bool show)
{
    m_toolBar->setShowingTimes(show);
    if (show == m_showTimes)
        return;
    m_showTimes = show;
    rerender();
}

QString LogPane::pausedNotice() const
{
    return m_pausedLabel->isHidden() ? QString() : m_pausedLabel->text();
}

void LogPane::updatePausedNotice()
{
    // Waiting: what passed the filter since the last drawn line, kept or dropped by the cap.
    const qint64 waiting = qint64(m_queue.size()) + m_queueDropped;
    if (m_following || waiting == 0) {
        m_pausedLabel->hide();
        return;
    }
    const QLocale locale;
    QString text = tr("Paused: %1 new lines below").arg(locale.toString(waiting));
    if (m_queueDropped > 0)
        text += tr(" (%1 dropped, over the %2-line limit)")
                    .arg(locale.toString(m_queueDropped), locale.toString(m_maxLines));
    text += tr(". End or Follow shows them.");
    m_pausedLabel->setText(text);
    m_pausedLabel->show();
}

void LogPane::showContextMenu(const QPoint &position)
{
    const std::unique_ptr<QMenu> menu(m_view->createStandardContextMenu(position));
    menu->addSeparator();
    menu->addAction(m_lineLimitAction);
    menu->exec(m_view->viewport()->mapToGlobal(position));
}

void LogPane::chooseMaximumLines()
{
    QInputDialog dialog(this);
    dialog.setWindowTitle(tr("Line Limit"));
    dialog.setLabelText(tr("Lines each pane keeps (the oldest go first):"));
    dialog.setInputMode(QInputDialog::IntInput);
    dialog.setIntRange(100, 1000000);
    dialog.setIntStep(1000);
    dialog.setIntValue(m_maxLines);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const int lines = dialog.intValue();
    QSettings().setValue(LogPaneKeys::maximumLines, lines);
    setMaximumLines(lines);
    emit maximumLinesChosen(lines);
}

void LogPane::createZoomActions()
{
    // Actions, not bare shortcuts, so Help > Keyboard Shortcuts lists them.
    const struct {
        QString text;
        QList<QKeySequence> keys;
        int step;
    } zooms[] = {
        {tr("Larger Text"), {QKeySequence::ZoomIn, Qt::CTRL | Qt::Key_Equal}, 1},
        {tr("Smaller Text"), {QKeySequence::ZoomOut}, -1},
        {tr("Normal Text Size"), {Qt::CTRL | Qt::Key_0}, 0},
    };
    for (const auto &zoom : zooms) {
        auto *action = new QAction(zoom.text, this);
        action->setObjectName(zoom.step > 0       ? u"zoomInAction"_s
                                  : zoom.step < 0 ? u"zoomOutAction"_s
                                                  : u"zoomResetAction"_s);
        action->setShortcuts(zoom.keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, step = zoom.step] { this->zoom(step); });
        addAction(action);
    }
}

void LogPane::zoom(int step)
{
    setFontSizeStep(step == 0 ? 0 : m_fontStep + step);
    QSettings().setValue(LogPaneKeys::fontSize, m_fontStep);
    emit fontSizeStepChosen(m_fontStep);
}

void LogPane::setFontSizeStep(int points)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const qreal base = font.pointSizeF() > 0 ? font.pointSizeF() : 10;
    m_fontStep = std::clamp(points, int(4 - base), 40);
    font.setPointSizeF(base + m_fontStep);
    m_view->setFont(font);
    m_view->setTabStopDistance(QFontMetricsF(font).horizontalAdvance(u' ') * 8);
}
