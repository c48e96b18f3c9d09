// bench/bigplan-window: the window while 100000 is typed into Total shards (issue 14, item 1).
// Run by hand, under QT_QPA_PLATFORM=offscreen or xvfb-run -a:
//   build/bin/bench_bigplan [--shards N] [--engine local|service]
// The window, a client of a (not yet started) service as the program builds it, opens a profile
// of 1 shard per process; N (default 100000) is typed digit by digit into maxShards, each key
// followed by the events it caused. Prints the longest keystroke (the freeze the user feels), the
// time until the process table shows the plan, and the resident memory (VmRSS, VmHWM) before and
// after.

#include "engine/shardengine.h"
#include "mainwindow.h"
#include "nosecrets.h"
#include "processtableview.h"
#include "service/remoteengine.h"
#include "service/servicelink.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addOption({u"shards"_s, u"The shard count typed."_s, u"N"_s, u"100000"_s});
    parser.addOption({u"engine"_s, u"service (as the program) or local."_s, u"E"_s, u"service"_s});
    parser.addHelpOption();
    parser.process(app);
    const QString typed = parser.value(u"shards"_s);

    QTemporaryDir dir;
    QFile bot(dir.filePath(u"bot.lua"_s));
    QFile profileFile(dir.filePath(u"bot.json"_s));
    if (!bot.open(QIODevice::WriteOnly) || !profileFile.open(QIODevice::WriteOnly))
        return 1;
    profileFile.write(QJsonDocument(QJsonObject {{u"file"_s, u"bot.lua"_s},
                                                 {u"interpreter"_s, u"sh"_s},
                                                 {u"maxShards"_s, 1},
                                                 {u"shardsPerProcess"_s, 1}})
                          .toJson());
    profileFile.close();

    NoSecrets secrets;
    std::unique_ptr<AbstractEngine> engine;
    std::unique_ptr<ServiceLink> link;
    std::unique_ptr<MainWindow> window;
    if (parser.value(u"engine"_s) == u"local"_s) {
        engine = std::make_unique<ShardEngine>();
        window = std::make_unique<MainWindow>(engine.get(), &secrets);
    } else {
        auto remote = std::make_unique<RemoteEngine>();
        link = std::make_unique<ServiceLink>(remote.get());
        window = std::make_unique<MainWindow>(remote.get(), &secrets);
        window->setServiceLink(link.get(), remote.get());
        engine = std::move(remote);
    }
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()) || !window->openProfile(profileFile.fileName()))
        return 1;
    QCoreApplication::processEvents();
    const qint64 rssBefore = statusKb("VmRSS:");

    auto *spin = window->findChild<QSpinBox *>(u"field_maxShards"_s);
    if (!spin)
        return 1;
    spin->setFocus();
    spin->selectAll();
    QElapsedTimer total;
    total.start();
    qint64 worstKeyMs = 0;
    for (const QChar c : typed) {
        QElapsedTimer key;
        key.start();
        QTest::keyClick(spin, c.toLatin1());
        QCoreApplication::processEvents();
        worstKeyMs = std::max(worstKeyMs, key.elapsed());
    }
    const qint64 typingMs = total.elapsed();
    const QAbstractItemModel *table = window->processTable()->model();
    const int expected = typed.toInt();
    while (table->rowCount() != expected && total.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    const qint64 settledMs = total.elapsed();
    // A paint of the table as it now stands.
    window->processTable()->viewport()->repaint();
    QCoreApplication::processEvents();

    std::printf("typed %s: worst keystroke %lld ms, typing %lld ms, table settled after %lld ms "
                "(%d rows)\n",
                qPrintable(typed), qlonglong(worstKeyMs), qlonglong(typingMs), qlonglong(settledMs),
                table->rowCount());
    std::printf("VmRSS before %lld MB, after %lld MB; VmHWM %lld MB\n", qlonglong(rssBefore / 1024),
                qlonglong(statusKb("VmRSS:") / 1024), qlonglong(statusKb("VmHWM:") / 1024));
    window->hide();
    return 0;
}
