#pragma once

#include <QDialog>

class QMainWindow;

// Help > Keyboard Shortcuts: every action of the window that has a shortcut, by menu, read from
// the actions themselves when opened, so the list cannot fall behind them.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    explicit ShortcutsDialog(QMainWindow *window);

    // "File ▸ Save" / "Ctrl+S" pairs, in menu order, then actions outside the menus.
    static QList<std::pair<QString, QString>> shortcutsOf(QMainWindow *window);
};
