#include "welcomepage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_buttons(new QVBoxLayout)
    , m_recent(new QListWidget(this))
{
    setObjectName(u"welcomePage"_s);
    auto *title = new QLabel(tr("<h2>Welcome to Shard Manager</h2>"
                                "<p>Run a Discord bot as several processes, each owning a range "
                                "of gateway shards. Begin with one of these:</p>"),
                             this);
    title->setWordWrap(true);

    const QString demo = demoProfile();
    QPushButton *demoButton
        = addButton(u"welcomeDemo"_s, tr("Open &Demo"),
                    tr("A pretend bot with 6 shards in 3 processes: no token, no Discord needed"),
                    u"media-playback-start"_s);
    demoButton->setEnabled(!demo.isEmpty());
    connect(demoButton, &QPushButton::clicked, this,
            [this, demo] { emit openDemoRequested(demo); });
    connect(addButton(u"welcomeNew"_s, tr("&New Profile"),
                      tr("Describe your bot: its file, interpreter and shard counts"),
                      u"document-new"_s),
            &QPushButton::clicked, this, &WelcomePage::newProfileRequested);
    connect(addButton(u"welcomeOpen"_s, tr("&Open…"), tr("A profile you already have (.json)"),
                      u"document-open"_s),
            &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(addButton(u"welcomeAttach"_s, tr("&Attach to Remote…"),
                      tr("A bot that runs as a service on another machine, through ssh"),
                      u"network-server"_s),
            &QPushButton::clicked, this, &WelcomePage::attachRequested);

    m_recent->setObjectName(u"welcomeRecent"_s);
    const QStringList recent = recentProfiles();
    for (const QString &path : recent) {
        auto *item = new QListWidgetItem(
            u"%1\n%2"_s.arg(QFileInfo(path).fileName(), QDir::toNativeSeparators(path)), m_recent);
        item->setData(Qt::UserRole, path);
    }
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit openRecentRequested(item->data(Qt::UserRole).toString());
    });
    auto *recentLabel = new QLabel(
        recent.isEmpty() ? tr("No recent profiles yet.") : tr("<b>Recent profiles</b>"), this);
    m_recent->setVisible(!recent.isEmpty());

    m_buttons->setSpacing(fontMetrics().height() / 2);
    auto *column = new QVBoxLayout;
    column->addWidget(title);
    column->addLayout(m_buttons);
    column->addSpacing(fontMetrics().height());
    column->addWidget(recentLabel);
    column->addWidget(m_recent, 1);
    if (recent.isEmpty())
        column->addStretch(1); // the choices stay together at the top
    column->setContentsMargins(0, fontMetrics().height() * 2, 0, 0);
    // A readable column in the middle of a wide window.
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 3);
    outer->addStretch(1);
}

QPushButton *WelcomePage::addButton(const QString &name, const QString &text, const QString &detail,
                                    const QString &icon)
{
    auto *button = new QPushButton(QIcon::fromTheme(icon), text, this);
    button->setObjectName(name);
    button->setMinimumWidth(fontMetrics().horizontalAdvance(u'M') * 14);
    auto *label = new QLabel(detail, this);
    label->setWordWrap(true);
    label->setBuddy(button);
    auto *row = new QHBoxLayout;
    row->addWidget(button);
    row->addWidget(label, 1);
    m_buttons->addLayout(row);
    return button;
}

QString WelcomePage::demoProfile()
{
    // A build tree (build/bin/shard-manager beside the sources, as scripts/run-demo.sh runs it),
    // the sources this was built from, then the installed package's examples
    // (PREFIX/bin/shard-manager, PREFIX/share/doc/shard-manager/examples).
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates {
        appDir + u"/../../examples/demo.json"_s,
        QStringLiteral(SHARDMANAGER_SOURCE_DIR "/examples/demo.json"),
        appDir + u"/../share/doc/shard-manager/examples/demo.json"_s,
        u"/usr/share/doc/shard-manager/examples/demo.json"_s,
    };
    for (const QString &path : candidates) {
        if (QFileInfo(path).isFile())
            return QFileInfo(path).canonicalFilePath();
    }
    return QString();
}

QString WelcomePage::writableDemo(const QString &path)
{
    // The demo writes its log beside the profile: an installed, read-only copy is copied first
    // (the man page tells the same to those who run it from a terminal).
    const QFileInfo info(path);
    if (path.isEmpty() || QFileInfo(info.absolutePath()).isWritable())
        return path;
    const QString target
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/demo"_s;
    QDir().mkpath(target + u"/demo"_s);
    const QDir from(info.absolutePath());
    for (const QString &name : {u"demo.json"_s, u"demo/demo-bot.conf"_s}) {
        QFile::remove(target + u'/' + name);
        if (!QFile::copy(from.filePath(name), target + u'/' + name))
            return path;
    }
    return target + u"/demo.json"_s;
}

QStringList WelcomePage::recentProfiles()
{
    QStringList paths;
    for (const QString &path : QSettings().value(u"recentProfiles"_s).toStringList()) {
        if (QFileInfo::exists(path))
            paths << path;
    }
    return paths;
}
