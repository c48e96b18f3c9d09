#include "logtoolbar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QToolButton>

using namespace Qt::StringLiterals;

LogFilter LogFilter::parse(const QString &text, QString *problem)
{
    LogFilter filter;
    if (text.size() >= 2 && text.startsWith(u'/') && text.endsWith(u'/')) {
        QRegularExpression regex(text.sliced(1, text.size() - 2),
                                 QRegularExpression::CaseInsensitiveOption);
        if (regex.isValid()) {
            filter.m_regex = regex;
            filter.m_isRegex = true;
        } else if (problem) {
            *problem = regex.errorString();
        }
    } else {
        filter.m_text = text;
    }
    return filter;
}

bool LogFilter::matches(const QString &plainLine) const
{
    if (m_isRegex)
        return m_regex.match(plainLine).hasMatch();
    return m_text.isEmpty() || plainLine.contains(m_text, Qt::CaseInsensitive);
}

bool LogFilter::operator==(const LogFilter &other) const
{
    return m_isRegex == other.m_isRegex
        && (m_isRegex ? m_regex.pattern() == other.m_regex.pattern() : m_text == other.m_text);
}

LogToolBar::LogToolBar(QWidget *parent)
    : QWidget(parent)
    , m_filterEdit(new QLineEdit(this))
{
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_filterEdit->setPlaceholderText(tr("Filter (text or /regex/)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->installEventFilter(this);
    onFilterText(QString()); // sets the tool tip

    m_followButton = addButton(u"followButton"_s, u"go-bottom"_s, tr("Follow"),
                               tr("Keep showing the newest lines (End)"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    QToolButton *wrapButton
        = addButton(u"wrapButton"_s, u"text-wrap"_s, tr("Wrap"), tr("Wrap long lines"));
    wrapButton->setCheckable(true);
    // For bots that print no time of their own: when the manager read each line.
    m_timeButton = addButton(u"timeButton"_s, u"chronometer"_s, tr("Time"),
                             tr("Show when each line arrived"));
    m_timeButton->setCheckable(true);
    QToolButton *clearButton = addButton(u"clearButton"_s, u"edit-clear"_s, tr("Clear"),
                                         tr("Remove every line from this pane"));
    QToolButton *saveButton = addButton(u"saveButton"_s, u"document-save-as"_s, tr("Save…"),
                                        tr("Save the lines shown (filter applied) to a file"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_filterEdit, 1);
    for (QToolButton *button : {m_followButton, wrapButton, m_timeButton, clearButton, saveButton})
        layout->addWidget(button);

    connect(m_filterEdit, &QLineEdit::textChanged, this, &LogToolBar::onFilterText);
    connect(m_followButton, &QToolButton::toggled, this, &LogToolBar::followToggled);
    connect(wrapButton, &QToolButton::toggled, this, &LogToolBar::wrapToggled);
    connect(m_timeButton, &QToolButton::toggled, this, &LogToolBar::timesToggled);
    connect(clearButton, &QToolButton::clicked, this, &LogToolBar::clearClicked);
    connect(saveButton, &QToolButton::clicked, this, &LogToolBar::saveClicked);
}

QToolButton *LogToolBar::addButton(const QString &objectName, const QString &icon,
                                   const QString &text, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setObjectName(objectName);
    button->setAutoRaise(true);
    button->setText(text);
    button->setToolTip(toolTip);
    const QIcon themed = QIcon::fromTheme(icon);
    if (themed.isNull()) {
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    } else {
        button->setIcon(themed);
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
    return button;
}

void LogToolBar::focusFilter()
{
    m_filterEdit->setFocus(Qt::ShortcutFocusReason);
    m_filterEdit->selectAll();
}

void LogToolBar::setFollowing(bool follow)
{
    if (m_followButton->isChecked() != follow) {
        const QSignalBlocker blocker(m_followButton);
        m_followButton->setChecked(follow);
    }
}

void LogToolBar::setShowingTimes(bool show)
{
    const QSignalBlocker blocker(m_timeButton);
    m_timeButton->setChecked(show);
}

void LogToolBar::onFilterText(const QString &text)
{
    QString problem;
    const LogFilter filter = LogFilter::parse(text, &problem);
    m_filterEdit->setStyleSheet(problem.isEmpty() ? QString()
                                                  : u"QLineEdit { border: 1px solid #d32f2f; }"_s);
    m_filterEdit->setToolTip(
        problem.isEmpty() ? tr("Show only lines containing this text (any case), or "
                               "matching a /regular expression/ (any case). Ctrl+Shift+F, Esc")
                          : tr("Invalid regular expression: %1").arg(problem));
    if (filter == m_filter)
        return;
    m_filter = filter;
    emit filterChanged(m_filter);
}

bool LogToolBar::eventFilter(QObject *watched, QEvent *event)
{
    const auto type = event->type();
    if (watched == m_filterEdit && (type == QEvent::KeyPress || type == QEvent::ShortcutOverride)
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape
        && !m_filterEdit->text().isEmpty()) {
        // Claim Escape before any window shortcut does, then clear on the key press.
        if (type == QEvent::ShortcutOverride) {
            event->accept();
            return true;
        }
        m_filterEdit->clear();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}
