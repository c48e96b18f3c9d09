#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

class LogPane;
class LogTabs;
class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

// Find in every log pane (the All pane and each process's), as a browser's find bar: a field, the
// match count ("3 of 17"), Previous / Next, match case. Next and Previous go through the panes in
// tab order, switching to the pane that holds the match and selecting it there.
class FindBar : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindBar)

public:
    explicit FindBar(LogTabs *tabs, QWidget *parent = nullptr);

    // Find (Ctrl+F), Find Next (F3), Find Previous (Shift+F3): for the window's menu, where they
    // work wherever the focus is.
    QList<QAction *> findActions() const { return {m_findAction, m_nextAction, m_previousAction}; }

    // Shows the bar with the field focused and its text selected.
    void open();
    void findNext() { go(true); }
    void findPrevious() { go(false); }
    // What the bar says: "", "No matches", "17 matches", "3 of 17".
    QString statusText() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Hits {
        LogPane *pane;
        QList<int> positions; // where the term starts in the pane's plain text
    };

    // Every match of the term in every pane, in tab order.
    QList<Hits> search() const;
    void recount();
    void go(bool forward);
    void close();
    QToolButton *addButton(const QString &objectName, const QString &icon, const QString &text,
                           const QString &toolTip);

    LogTabs *m_tabs;
    QLineEdit *m_field;
    QLabel *m_status;
    QToolButton *m_caseButton = nullptr;
    QAction *m_findAction;
    QAction *m_nextAction;
    QAction *m_previousAction;
    // Counting 10,000 lines costs a few milliseconds: done once the typing pauses, not per key.
    QTimer m_recountTimer;
    // While the bar shows a count ("17 matches"), it follows new lines, at most once a second;
    // "3 of 17" stays as it is until the next step.
    QTimer m_followTimer;
    bool m_stepping = false;
};
