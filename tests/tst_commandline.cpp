// Tests the program's command line against its manual page: every option the page documents is
// one --help lists, so the two cannot drift apart again (--help once lacked --start).

#include "managerprocess.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCommandLine : public QObject {
    Q_OBJECT

private slots:
    void helpListsEveryDocumentedOption();
    void qtOptionsReachTheWindow();
};

namespace {
// The long options named in the manual's OPTIONS section ("\-\-stats\-interval" in roff).
QSet<QString> documentedOptions()
{
    QFile page(QStringLiteral(MANPAGE_PATH));
    if (!page.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", MANPAGE_PATH);
    const QString text = QString::fromUtf8(page.readAll()).remove(u'\\');
    const qsizetype begin = text.indexOf(u"\n.SH OPTIONS"_s);
    const qsizetype end = text.indexOf(u"\n.SH "_s, begin + 1);
    if (begin < 0 || end < 0)
        qFatal("no OPTIONS section in %s", MANPAGE_PATH);
    QSet<QString> options;
    static const QRegularExpression option(u"(?<![\\w-])--[a-z][a-z-]*[a-z]"_s);
    auto it = option.globalMatch(QStringView(text).sliced(begin, end - begin));
    while (it.hasNext())
        options.insert(it.next().captured());
    return options;
}
} // namespace

void TestCommandLine::helpListsEveryDocumentedOption()
{
    const QSet<QString> documented = documentedOptions();
    // The page documents at least these; a parser that finds fewer has stopped reading it.
    for (const QString &known : {u"--start"_s, u"--headless"_s, u"--check"_s, u"--help"_s})
        QVERIFY2(documented.contains(known), qPrintable(known));

    ManagerProcess m({u"--help"_s});
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 0);
    const QString help = m.lines().join(u'\n');
    QStringList missing;
    for (const QString &name : documented) {
        const QRegularExpression listed(u"(?<![\\w-])"_s + QRegularExpression::escape(name)
                                        + u"(?![\\w-])"_s);
        if (!listed.match(help).hasMatch())
            missing.append(name);
    }
    missing.sort();
    QVERIFY2(missing.isEmpty(), qPrintable(u"--help does not list: "_s + missing.join(u", "_s)));
}

// Qt's own options (-platform, -style) are the window's: they reach QApplication instead of
// being refused as unknown. A platform that does not exist proves it: Qt names it and gives up.
void TestCommandLine::qtOptionsReachTheWindow()
{
    ManagerOptions options;
    options.environment = QProcessEnvironment::systemEnvironment();
    options.environment.remove(u"QT_QPA_PLATFORM"_s);
    options.nullStdin = true;
    ManagerProcess m({u"-style"_s, u"fusion"_s, u"-platform"_s, u"no-such-platform"_s,
                      u"-reverse"_s, u"/nonexistent/profile.json"_s},
                     options);
    QVERIFY(m.finish());
    QVERIFY2(!m.err().contains(u"nknown option"_s), qPrintable(m.err()));
    QVERIFY2(m.err().contains(u"no-such-platform"_s), qPrintable(m.err()));
    QVERIFY(m.process().exitStatus() != QProcess::NormalExit || m.process().exitCode() != 0);
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
