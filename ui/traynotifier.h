#pragma once

#include <QObject>

class QMenu;
class QSystemTrayIcon;
class AbstractEngine;
struct ExitInfo;

// The system tray icon (where the platform has a tray): the overall state at a glance, and a
// notification when a process exits unexpectedly or gives up in a crash loop.
class TrayNotifier : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    TrayNotifier(AbstractEngine *engine, QMenu *menu, QObject *parent = nullptr);

    bool isAvailable() const { return m_tray != nullptr; }
    void notify(const QString &title, const QString &text);

signals:
    void activated(); // the icon was clicked

private:
    void update();
    void onExited(int process, const ExitInfo &info);

    AbstractEngine *m_engine;
    QSystemTrayIcon *m_tray = nullptr;
};
