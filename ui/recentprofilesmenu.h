#pragma once

#include <QMenu>

// File > Open Recent: the last profiles opened, kept in QSettings, newest first.
class RecentProfilesMenu : public QMenu {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentProfilesMenu)

public:
    explicit RecentProfilesMenu(QWidget *parent = nullptr);

    void add(const QString &path);
    QStringList paths() const { return m_paths; }

signals:
    void openRequested(const QString &path);

private:
    void rebuild();
    void save() const;

    QStringList m_paths;
};
