#pragma once

#include <QMainWindow>
#include <QTimer>

class FindBar;
class IpcConsole;
class IpcMessageModel;
class LogTabs;
class ProcessTableModel;
class ProcessTableView;
class ProfileEditor;
class QAction;
class QMenu;
class RecentProfilesMenu;
class RemoteEngine;
class ServiceControls;
class ServiceLink;
class ShardView;
class WelcomePage;
class RunStatusBar;
class SecretBackend;
class AbstractEngine;
class TokenStore;
class TrayNotifier;

// The main window: assembles the profile editor, the process table, the log panes and the IPC
// console around one engine, and owns the actions (menus, toolbar, shortcuts) that steer it.
class MainWindow : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // The secret backend (the OS keychain; a fake in tests) is not owned.
    MainWindow(AbstractEngine *engine, SecretBackend *secrets, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a profile file; on error explains it and keeps what was open. Returns success.
    bool openProfile(const QString &path);
    void newProfile();
    // Starts every process; on error (a port in use, an invalid profile) explains it.
    void startAll();
    QString profilePath() const { return m_profilePath; }
    bool isModified() const { return m_modified; }

    ProfileEditor *profileEditor() const { return m_editor; }
    ProcessTableView *processTable() const { return m_table; }
    LogTabs *logTabs() const { return m_logs; }
    IpcConsole *ipcConsole() const { return m_console; }
    FindBar *findBar() const { return m_findBar; }
    TokenStore *tokenStore() const { return m_tokens; }
    void showTokenDialog();
    // The window as a client of a service (the program's window always is; tests may give an
    // engine of their own instead): profiles open attached to their service, Start starts one,
    // closing asks whether the bot keeps running.
    void setServiceLink(ServiceLink *link, RemoteEngine *engine);
    ServiceControls *serviceControls() const { return m_service; }

    // mainwindowviews.cpp: the shard view, the welcome page and the theme.
    ShardView *shardView() const { return m_shardView; }
    WelcomePage *welcomePage() const { return m_welcome; }
    // What the window opens with: requested, else the last profile, else the welcome page (a
    // requested profile that cannot be opened gives an empty one, with the reason shown).
    // Returns whether a profile was opened.
    bool openAtStart(const QString &requested);
    void showWelcome();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // mainwindowactions.cpp: the actions, their menus and toolbar, and when they are enabled.
    void createActions();
    void createMenus();
    void updateActions();

    void createDocks();
    void createViews(); // mainwindowviews.cpp
    void leaveWelcome();
    void createStatusBar();
    void restoreSettings();
    void saveSettings() const;

    bool save();
    bool saveAs();
    bool saveTo(const QString &path);
    bool maybeSave();
    void onProfileEdited();
    // Hands the form's profile to the engine (which rebuilds the plan's processes) now.
    void applyEdits();
    // What belongs to the profile shown before: its IPC messages, its All pane and filter.
    void resetRunViews();
    void forSelected(void (AbstractEngine::*action)(int));
    void killSelected(); // asks first
    void startSelected();
    void updateStatus();
    void updateTitle();
    void showNotice(const QString &text);
    void about();
    void fetchGateway();
    void setRemoteToken(); // mainwindowservice.cpp
    void closeAsClient(QCloseEvent *event); // mainwindowservice.cpp
    void updateTokenStatus();

    AbstractEngine *m_engine;
    ProcessTableModel *m_tableModel;
    IpcMessageModel *m_ipcModel;
    ProfileEditor *m_editor;
    ProcessTableView *m_table;
    LogTabs *m_logs;
    FindBar *m_findBar = nullptr;
    IpcConsole *m_console;
    TrayNotifier *m_tray = nullptr;
    RecentProfilesMenu *m_recent = nullptr;
    TokenStore *m_tokens;
    ServiceControls *m_service = nullptr;
    QMenu *m_fileMenu = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_startAllAction = nullptr;
    QAction *m_stopAllAction = nullptr;
    QAction *m_restartAllAction = nullptr;
    QAction *m_rollingAction = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_restartAction = nullptr;
    QAction *m_killAction = nullptr;
    QAction *m_openLogAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_tokenAction = nullptr;
    QAction *m_resumeAction = nullptr;

    QMenu *m_viewMenu = nullptr;
    ShardView *m_shardView = nullptr;
    WelcomePage *m_welcome = nullptr;
    QWidget *m_mainContent = nullptr; // the central widget while the welcome page shows
    QList<QWidget *> m_hiddenForWelcome;
    RunStatusBar *m_status = nullptr;

    QString m_profilePath;
    bool m_modified = false;
    bool m_quitAfterStop = false;
    bool m_quitRequested = false; // Quit, not the window's close button
    // Edits reach the engine once the value settles: typing 100000 rebuilds the table once, not
    // for 1, 10, 100, ... on the way.
    QTimer m_applyTimer;
};
