#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// "&Save…" reads as "Save".
QString plain(QString text)
{
    text.remove(u'&');
    if (text.endsWith(u'…'))
        text.chop(1);
    return text;
}

QString keysOf(const QAction *action)
{
    QStringList keys;
    for (const QKeySequence &key : action->shortcuts())
        keys << key.toString(QKeySequence::NativeText);
    return keys.join(u", "_s);
}

void collect(const QMenu *menu, const QString &path, QSet<const QAction *> *seen,
             QList<std::pair<QString, QString>> *rows)
{
    for (QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        if (const QMenu *sub = action->menu()) {
            collect(sub, path + u" ▸ "_s + plain(action->text()), seen, rows);
            continue;
        }
        if (seen->contains(action) || action->shortcuts().isEmpty())
            continue;
        seen->insert(action);
        rows->append({path + u" ▸ "_s + plain(action->text()), keysOf(action)});
    }
}
} // namespace

QList<std::pair<QString, QString>> ShortcutsDialog::shortcutsOf(QMainWindow *window)
{
    QList<std::pair<QString, QString>> rows;
    QSet<const QAction *> seen;
    for (QAction *top : window->menuBar()->actions()) {
        if (const QMenu *menu = top->menu())
            collect(menu, plain(top->text()), &seen, &rows);
    }
    // Actions that live elsewhere (panes, the console, the table): named by their text alone.
    // Each log pane has its own (Zoom In…): listed once.
    QSet<QString> listed;
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (seen.contains(action) || action->shortcuts().isEmpty() || action->text().isEmpty())
            continue;
        seen.insert(action);
        const std::pair<QString, QString> row {plain(action->text()), keysOf(action)};
        if (!listed.contains(row.first + row.second)) {
            listed.insert(row.first + row.second);
            rows.append(row);
        }
    }
    return rows;
}

ShortcutsDialog::ShortcutsDialog(QMainWindow *window)
    : QDialog(window)
{
    setObjectName(u"shortcutsDialog"_s);
    setWindowTitle(tr("Keyboard Shortcuts"));
    const auto rows = shortcutsOf(window);
    auto *table = new QTableWidget(int(rows.size()), 2, this);
    table->setObjectName(u"shortcutsTable"_s);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setShowGrid(false);
    for (int r = 0; r < rows.size(); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(rows.at(r).first));
        table->setItem(r, 1, new QTableWidgetItem(rows.at(r).second));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(table);
    layout->addWidget(buttons);
    resize(table->horizontalHeader()->length() + 60, 480);
}
