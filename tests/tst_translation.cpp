// Tests that the window's own text goes through tr(): with a translator installed that marks
// every string it is asked for, the menus, the window title, the status labels, the log pane's
// row, the gateway panel and the table headers all show the mark. A string written without
// tr() shows up unmarked. (The profile editor and its previews are checked where they live.)

#include "engine/shardengine.h"
#include "fakesecretbackend.h"
#include "gatewaypanel.h"
#include "ipcmessagemodel.h"
#include "logpane.h"
#include "mainwindow.h"
#include "markingtranslator.h"
#include "processtablemodel.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QTranslator>

using namespace Qt::StringLiterals;

class TestTranslation : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void windowTextIsTranslated();
    void logPaneTextIsTranslated();
    void gatewayPanelTextIsTranslated();
    void tableHeadersAreTranslated();

private:
    MarkingTranslator m_translator;
};

void TestTranslation::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
}

void TestTranslation::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_translator);
}

void TestTranslation::windowTextIsTranslated()
{
    ShardEngine engine;
    FakeSecretBackend secrets;
    MainWindow window(&engine, &secrets);
    // The title's own words and the untitled profile's name: both translated.
    QVERIFY2(window.windowTitle().count(kMark) == 2, qPrintable(window.windowTitle()));

    QStringList unmarked;
    for (const QAction *top : window.menuBar()->actions()) {
        if (!marked(top->text()))
            unmarked << top->text();
        if (!top->menu())
            continue;
        for (const QAction *a : top->menu()->actions()) {
            if (!a->isSeparator() && !a->text().isEmpty() && !marked(a->text()))
                unmarked << a->text();
            if (!a->isSeparator() && !a->toolTip().isEmpty() && !marked(a->toolTip()))
                unmarked << a->toolTip();
        }
    }
    for (const QString &name : {u"statusRunning"_s, u"statusIpc"_s, u"statusLog"_s}) {
        const auto *label = window.findChild<QLabel *>(name);
        QVERIFY2(label, qPrintable(name));
        if (!marked(label->text()))
            unmarked << name + u": "_s + label->text();
    }
    QVERIFY2(unmarked.isEmpty(), qPrintable(unmarked.join(u" | "_s)));
}

void TestTranslation::logPaneTextIsTranslated()
{
    LogPane pane;
    QStringList unmarked;
    for (const QString &name :
         {u"followButton"_s, u"wrapButton"_s, u"clearButton"_s, u"saveButton"_s}) {
        const auto *button = pane.findChild<QToolButton *>(name);
        QVERIFY2(button, qPrintable(name));
        for (const QString &text : {button->text(), button->toolTip()}) {
            if (!marked(text))
                unmarked << text;
        }
    }
    const auto *filter = pane.findChild<QLineEdit *>(u"filterEdit"_s);
    QVERIFY(filter);
    for (const QString &text : {filter->placeholderText(), filter->toolTip()}) {
        if (!marked(text))
            unmarked << text;
    }
    QVERIFY2(unmarked.isEmpty(), qPrintable(unmarked.join(u" | "_s)));
}

void TestTranslation::gatewayPanelTextIsTranslated()
{
    GatewayPanel panel;
    const auto *fetch = panel.findChild<QPushButton *>(u"fetchGateway"_s);
    const auto *info = panel.findChild<QLabel *>(u"gatewayInfo"_s);
    QVERIFY(fetch);
    QVERIFY(info);
    QVERIFY2(marked(fetch->text()), qPrintable(fetch->text()));
    QVERIFY2(marked(fetch->toolTip()), qPrintable(fetch->toolTip()));
    QVERIFY2(marked(info->text()), qPrintable(info->text()));
}

void TestTranslation::tableHeadersAreTranslated()
{
    ShardEngine engine;
    ProcessTableModel processes(&engine);
    IpcMessageModel messages(&engine);
    for (const QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(&processes),
                                            static_cast<QAbstractItemModel *>(&messages)}) {
        for (int column = 0; column < model->columnCount(); ++column) {
            const QString header = model->headerData(column, Qt::Horizontal).toString();
            QVERIFY2(marked(header), qPrintable(header));
        }
    }
}

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
