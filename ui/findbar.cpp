#include "findbar.h"

#include "logpane.h"
#include "logtabs.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QStyle>
#include <QTextCursor>
#include <QToolButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int kRecountDelayMs = 150;
// How often an open count follows the lines that arrive.
constexpr int kFollowIntervalMs = 1000;
} // namespace

FindBar::FindBar(LogTabs *tabs, QWidget *parent)
    : QWidget(parent)
    , m_tabs(tabs)
    , m_field(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_findAction(new QAction(tr("&Find in Panes…"), this))
    , m_nextAction(new QAction(tr("Find &Next"), this))
    , m_previousAction(new QAction(tr("Find Pre&vious"), this))
{
    setObjectName(u"findBar"_s);
    m_field->setObjectName(u"findField"_s);
    m_field->setPlaceholderText(tr("Find in all panes"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
    m_status->setObjectName(u"findStatus"_s);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setMinimumWidth(m_status->fontMetrics().horizontalAdvance(u"0000 of 00000"_s));

    auto *previous
        = addButton(u"findPrevious"_s, QString(), tr("Previous"),
                    tr("The previous match, in this pane or the ones before (Shift+F3)"));
    previous->setArrowType(Qt::UpArrow);
    auto *next = addButton(u"findNext"_s, QString(), tr("Next"),
                           tr("The next match, in this pane or the ones after (F3)"));
    next->setArrowType(Qt::DownArrow);
    m_caseButton = addButton(u"findCaseSensitive"_s, QString(), tr("Aa"), tr("Match case"));
    m_caseButton->setCheckable(true);
    auto *closeButton
        = addButton(u"findClose"_s, u"window-close"_s, tr("Close"), tr("Close (Esc)"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_status);
    layout->addWidget(previous);
    layout->addWidget(next);
    layout->addWidget(m_caseButton);
    layout->addWidget(closeButton);

    m_findAction->setObjectName(u"findAction"_s);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setStatusTip(tr("Find text in every open log pane"));
    m_nextAction->setObjectName(u"findNextAction"_s);
    m_nextAction->setShortcut(Qt::Key_F3);
    m_previousAction->setObjectName(u"findPreviousAction"_s);
    m_previousAction->setShortcut(Qt::SHIFT | Qt::Key_F3);
    connect(m_findAction, &QAction::triggered, this, &FindBar::open);
    connect(m_nextAction, &QAction::triggered, this, &FindBar::findNext);
    connect(m_previousAction, &QAction::triggered, this, &FindBar::findPrevious);
    connect(next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(closeButton, &QToolButton::clicked, this, &FindBar::close);
    connect(m_caseButton, &QToolButton::toggled, this, &FindBar::recount);

    auto *escape = new QShortcut(Qt::Key_Escape, this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &FindBar::close);

    m_recountTimer.setSingleShot(true);
    m_recountTimer.setInterval(kRecountDelayMs);
    connect(&m_recountTimer, &QTimer::timeout, this, &FindBar::recount);
    connect(m_field, &QLineEdit::textChanged, this, [this] {
        m_status->clear();
        m_recountTimer.start();
    });
    m_followTimer.setSingleShot(true);
    m_followTimer.setInterval(kFollowIntervalMs);
    connect(&m_followTimer, &QTimer::timeout, this, [this] {
        if (isVisible() && !m_stepping)
            recount();
    });
    connect(m_tabs, &LogTabs::linesArrived, this, [this] {
        if (isVisible() && !m_stepping && !m_field->text().isEmpty() && !m_followTimer.isActive())
            m_followTimer.start();
    });
    hide();
}

QToolButton *FindBar::addButton(const QString &objectName, const QString &icon, const QString &text,
                                const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setObjectName(objectName);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    if (!icon.isEmpty())
        button->setIcon(
            QIcon::fromTheme(icon, style()->standardIcon(QStyle::SP_DialogCloseButton)));
    return button;
}

void FindBar::open()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void FindBar::close()
{
    hide();
    m_recountTimer.stop();
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *pane = qobject_cast<LogPane *>(m_tabs->widget(i)))
            pane->clearMatchHighlight();
    }
    // The selection stays (Ctrl+C copies it); the keys go back to where the match is.
    if (QWidget *pane = m_tabs->currentWidget())
        pane->setFocus(Qt::OtherFocusReason);
}

QString FindBar::statusText() const
{
    return m_status->text();
}

QList<FindBar::Hits> FindBar::search() const
{
    QList<Hits> found;
    const QString term = m_field->text();
    if (term.isEmpty())
        return found;
    const Qt::CaseSensitivity cs
        = m_caseButton->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *pane = qobject_cast<LogPane *>(m_tabs->widget(i));
        if (!pane)
            continue;
        // A pane out of sight has lines it has not drawn yet; a search finds them too.
        pane->drawQueued();
        Hits hits {pane, {}};
        const QString text = pane->plainText();
        for (qsizetype at = text.indexOf(term, 0, cs); at >= 0;
             at = text.indexOf(term, at + term.size(), cs))
            hits.positions << int(at);
        found << hits;
    }
    return found;
}

void FindBar::recount()
{
    m_recountTimer.stop();
    m_stepping = false;
    if (m_field->text().isEmpty()) {
        m_status->clear();
        return;
    }
    qsizetype total = 0;
    for (const Hits &hits : search())
        total += hits.positions.size();
    m_status->setText(total == 0 ? tr("No matches") : tr("%n match(es)", nullptr, int(total)));
}

void FindBar::go(bool forward)
{
    if (m_field->text().isEmpty()) {
        open(); // F3 with nothing to find asks what to find
        return;
    }
    show(); // F3 after Esc goes on with the same text
    m_recountTimer.stop();
    const QList<Hits> all = search();
    qsizetype total = 0;
    for (const Hits &hits : all)
        total += hits.positions.size();
    if (total == 0) {
        m_status->setText(tr("No matches"));
        return;
    }

    // From the current pane's selection (the match shown last, or the reader's), onwards; from
    // its top (or bottom) when nothing is selected. Not from the bare cursor: the appended lines
    // carry it along where nobody put it.
    const auto current = std::find_if(all.cbegin(), all.cend(), [this](const Hits &hits) {
        return hits.pane == m_tabs->currentWidget();
    });
    const qsizetype start = current == all.cend() ? 0 : current - all.cbegin();
    const QTextCursor cursor = all.at(start).pane->textCursor();
    const QList<int> &here = all.at(start).positions;
    qsizetype pane = start;
    qsizetype match = -1;
    if (!cursor.hasSelection()) {
        if (!here.isEmpty())
            match = forward ? 0 : here.size() - 1;
    } else if (forward) {
        const auto it = std::upper_bound(here.cbegin(), here.cend(), cursor.selectionStart());
        if (it != here.cend())
            match = it - here.cbegin();
    } else {
        const auto it = std::lower_bound(here.cbegin(), here.cend(), cursor.selectionStart());
        if (it != here.cbegin())
            match = (it - here.cbegin()) - 1;
    }
    // None left in this pane: the next pane that has one, around to this pane's other end.
    for (qsizetype step = 1; match < 0 && step <= all.size(); ++step) {
        pane = (start + (forward ? step : all.size() - step)) % all.size();
        const qsizetype count = all.at(pane).positions.size();
        if (count > 0)
            match = forward ? 0 : count - 1;
    }

    qsizetype before = 0;
    for (qsizetype i = 0; i < pane; ++i)
        before += all.at(i).positions.size();
    LogPane *target = all.at(pane).pane;
    m_tabs->setCurrentWidget(target);
    target->showMatch(all.at(pane).positions.at(match), int(m_field->text().size()));
    m_status->setText(tr("%1 of %2").arg(before + match + 1).arg(total));
    m_stepping = true;
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            go(!(key->modifiers() & Qt::ShiftModifier));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
