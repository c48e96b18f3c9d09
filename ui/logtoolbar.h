#pragma once

#include <QRegularExpression>
#include <QString>
#include <QWidget>

class QLineEdit;
class QToolButton;

// What a log pane's filter field asks for: lines containing a text (any case), or matching a
// /regular expression/ (any case). Empty lets every line through.
class LogFilter {
public:
    // The field's text; an invalid expression filters nothing, and problem says why.
    static LogFilter parse(const QString &text, QString *problem = nullptr);

    bool isEmpty() const { return !m_isRegex && m_text.isEmpty(); }
    bool matches(const QString &plainLine) const;
    bool operator==(const LogFilter &other) const;

private:
    QString m_text;
    QRegularExpression m_regex;
    bool m_isRegex = false;
};

// The row above a log pane: the filter field (Ctrl+Shift+F focuses it, Esc clears it, an invalid
// expression is marked) and the Follow, Wrap, Time, Clear and Save buttons. The pane acts on its
// signals.
class LogToolBar : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogToolBar)

public:
    explicit LogToolBar(QWidget *parent = nullptr);

    const LogFilter &filter() const { return m_filter; }
    void focusFilter();
    // Shows the pane's following state without echoing it back as followToggled.
    void setFollowing(bool follow);
    // Shows whether arrival times are on, without echoing it back as timesToggled.
    void setShowingTimes(bool show);

signals:
    void filterChanged(const LogFilter &filter); // only when what passes changes
    void followToggled(bool follow);
    void wrapToggled(bool wrap);
    void timesToggled(bool show);
    void clearClicked();
    void saveClicked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QToolButton *addButton(const QString &objectName, const QString &icon, const QString &text,
                           const QString &toolTip);
    void onFilterText(const QString &text);

    QLineEdit *m_filterEdit;
    QToolButton *m_followButton = nullptr;
    QToolButton *m_timeButton = nullptr;
    LogFilter m_filter;
};
