// Help > Keyboard Shortcuts, offscreen: the dialog lists every action of the window that has a
// shortcut (menus and panes alike), read from the actions, so a new shortcut cannot be missing.

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "mainwindow.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

class TestShortcuts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void helpListsEveryShortcut();
};

void TestShortcuts::helpListsEveryShortcut()
{
    ShardEngine engine;
    FakeSecretBackend secrets;
    MainWindow window(&engine, &secrets);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *open = window.findChild<QAction *>(u"shortcutsAction"_s);
    QVERIFY(open);

    QStringList shown;
    QTimer::singleShot(0, this, [&shown] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto *table = dialog->findChild<QTableWidget *>(u"shortcutsTable"_s);
        for (int r = 0; table && r < table->rowCount(); ++r)
            shown << table->item(r, 0)->text() + u" = "_s + table->item(r, 1)->text();
        dialog->reject();
    });
    open->trigger();
    QVERIFY(!shown.isEmpty());
    QVERIFY2(shown.contains(u"Processes ▸ Start All = F5"_s)
                 || !shown.filter(u"Start All = F5"_s).isEmpty(),
             qPrintable(shown.join(u'\n')));
    QVERIFY2(!shown.filter(u"Larger Text = "_s).isEmpty(), qPrintable(shown.join(u'\n')));
    // Every action with a shortcut is there, by its keys.
    for (const QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        QVERIFY2(!shown.filter(u" = "_s + keys).isEmpty(),
                 qPrintable(action->text() + u" " + keys));
    }
}

QTEST_MAIN(TestShortcuts)
#include "tst_shortcuts.moc"
