#pragma once

#include <QObject>
#include <QStringList>

class QLabel;
class QMenu;
class QStatusBar;
class QWidget;
class RemoteEngine;
class ServiceLink;

// The window's side of the service it attaches to: the link's state in the status bar (and
// greyed content while it is lost), a service started on Start, the question on close (keep the
// bot running in the background, or stop it), the File menu's running services and Attach to
// Remote. The window itself never owns a child process.
class ServiceControls : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceControls)

public:
    enum class CloseChoice { KeepRunning, StopBot, Cancel };

    ServiceControls(ServiceLink *link, RemoteEngine *engine, QWidget *window, QStatusBar *bar,
                    QWidget *content);

    ServiceLink *link() const { return m_link; }
    // Fills the File menu's part: Attach to Remote…, Running Services.
    void addToMenu(QMenu *file);

    // Asked when the window closes while the bot runs; remembered when the user says so.
    // StopBot has sent the stop already.
    CloseChoice askOnClose();

    // ssh://[user@]host[:port]/path/to/profile.json as the command the window runs; empty with
    // error set when the address is not one.
    static QStringList sshCommand(const QString &address, QString *error);
    // Attaches to a remote service through ssh (address) or any command.
    bool attachRemote(const QString &address, const QString &command, QString *error);

signals:
    // The user picked a running service of a local profile in the menu.
    void openProfileRequested(const QString &path);
    void notice(const QString &text);

private:
    void update();
    void fillServicesMenu();
    void askAttachRemote();

    ServiceLink *m_link;
    RemoteEngine *m_engine;
    QWidget *m_window;
    QWidget *m_content;
    QLabel *m_label;
    QMenu *m_servicesMenu = nullptr;
};
