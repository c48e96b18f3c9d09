#include "recentprofilesmenu.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMaxRecent = 10;
const auto kKey = u"recentProfiles"_s;
} // namespace

RecentProfilesMenu::RecentProfilesMenu(QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
{
    setObjectName(u"recentMenu"_s);
    m_paths = QSettings().value(kKey).toStringList();
    rebuild();
}

void RecentProfilesMenu::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_paths.removeAll(absolute);
    m_paths.prepend(absolute);
    while (m_paths.size() > kMaxRecent)
        m_paths.removeLast();
    save();
    rebuild();
}

void RecentProfilesMenu::rebuild()
{
    clear();
    int number = 1;
    for (const QString &path : std::as_const(m_paths)) {
        const QString label = u"&%1 %2"_s.arg(number++ % 10).arg(QDir::toNativeSeparators(path));
        QAction *action = addAction(label);
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (m_paths.isEmpty()) {
        addAction(tr("No recent profiles"))->setEnabled(false);
        return;
    }
    addSeparator();
    connect(addAction(tr("Clear List")), &QAction::triggered, this, [this] {
        m_paths.clear();
        save();
        rebuild();
    });
}

void RecentProfilesMenu::save() const
{
    QSettings().setValue(kKey, m_paths);
}
