#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

// What the window shows when it opens with no profile (no argument, none remembered): the ways
// to begin, instead of an "Untitled" profile full of problems. Each choice is a signal; the
// window acts on it and shows its normal content.
class WelcomePage : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)

public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // The bundled demo profile: beside the sources (a build tree) or in the installed package's
    // examples; empty when neither is there.
    static QString demoProfile();
    // path, or a copy of the demo in the user's data folder when path's folder is read-only.
    static QString writableDemo(const QString &path);
    // The recent profiles the File menu lists (QSettings "recentProfiles"), those that exist.
    static QStringList recentProfiles();

signals:
    void openDemoRequested(const QString &path);
    void newProfileRequested();
    void openRequested(); // Open…: the window asks for the file
    void attachRequested();
    void openRecentRequested(const QString &path);

private:
    QPushButton *addButton(const QString &name, const QString &text, const QString &detail,
                           const QString &icon);

    class QVBoxLayout *m_buttons;
    QListWidget *m_recent;
};
