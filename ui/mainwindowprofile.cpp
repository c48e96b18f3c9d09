// MainWindow, continued: the profile as a file (open, new, edits, save, save as).

#include "mainwindow.h"

#include "appicon.h"
#include "diagnostics.h"
#include "engine/abstractengine.h"
#include "ipcconsole.h"
#include "ipcmessagemodel.h"
#include "logpane.h"
#include "logtabs.h"
#include "managernotices.h"
#include "processchart.h"
#include "processtablemodel.h"
#include "processtableview.h"
#include "profileeditor.h"
#include "recentprofilesmenu.h"
#include "runstatusbar.h"
#include "secrets/tokenstore.h"
#include "service/servicelink.h"
#include "servicecontrols.h"
#include "tokendialog.h"
#include "traynotifier.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

using namespace Qt::StringLiterals;

bool MainWindow::openProfile(const QString &path)
{
    // Attached, the bot runs in its service: another profile is just another service to show.
    if (!m_service && m_engine->isBusy()) {
        QMessageBox::information(this, tr("Processes are running"),
                                 tr("Stop the running processes before opening another profile."));
        return false;
    }
    QList<ProfileError> errors;
    const Profile profile = Profile::fromFile(path, &errors);
    // A wrong type or an unknown key is shown in the form, at its field, to be fixed there; only
    // a file that is no profile at all (bad JSON, not an object) has nothing sensible to show.
    // The editor adds validate()'s problems as ProfileCheck::afterLoad does for --check.
    QList<ProfileError> loadErrors = errors;
    loadErrors.removeIf([](const ProfileError &e) { return e.key.isEmpty(); });
    if (loadErrors.size() < errors.size())
        errors.removeIf([](const ProfileError &e) { return !e.key.isEmpty(); });
    else
        errors.clear();
    if (!errors.isEmpty()) {
        QStringList lines;
        for (const ProfileError &e : std::as_const(errors))
            lines << e.toString();
        QMessageBox box(QMessageBox::Warning, tr("Cannot open profile"),
                        tr("%1 cannot be opened:").arg(QDir::toNativeSeparators(path)),
                        QMessageBox::Ok, this);
        qCDebug(lcProfile) << path << "refused:" << errors.size() << "problems";
        box.setInformativeText(lines.join(u'\n'));
        box.exec();
        return false;
    }
    resetRunViews();
    if (m_service)
        m_service->link()->watchLocal(path); // detaches first: the new plan is shown at once
    m_editor->setProfile(profile, loadErrors);
    m_engine->setProfile(m_editor->profile());
    m_profilePath = QFileInfo(path).absoluteFilePath();
    qCDebug(lcProfile) << "opened" << m_profilePath << ":" << m_engine->processCount()
                       << "processes";
    // A value outside what its field accepts (port 0, a negative time) is brought into range by
    // the form: say which, and count it as an unsaved change rather than losing it silently.
    const Profile shown = m_editor->profile();
    QStringList adjusted;
    for (const ProfileKey &key : ProfileSchema::keys()) {
        if (key.value(profile) != key.value(shown))
            adjusted << QString::fromLatin1(key.name);
    }
    m_modified = !adjusted.isEmpty();
    if (m_modified) {
        showNotice(tr("values out of range were adjusted: %1").arg(adjusted.join(u", "_s)));
        // The file's value is still wrong: its problem stays at the field until the field is
        // edited or the profile saved.
        for (const ProfileError &problem : profile.validate()) {
            if (adjusted.contains(problem.key) && !loadErrors.contains(problem))
                loadErrors.append(problem);
        }
        m_editor->setProfile(profile, loadErrors);
    }
    if (!m_editor->isValid())
        showNotice(tr("%1 has %n problem(s), shown at their fields", nullptr,
                      int(m_editor->errors().size()))
                       .arg(QFileInfo(path).fileName()));
    m_recent->add(m_profilePath);
    QSettings().setValue(u"lastProfile"_s, m_profilePath);
    m_tokens->load(m_profilePath);
    updateTitle();
    updateActions();
    updateStatus();
    return true;
}

void MainWindow::newProfile()
{
    if ((!m_service && m_engine->isBusy()) || !maybeSave())
        return;
    if (m_service)
        m_service->link()->stop(); // the service goes on; this window shows a new profile
    resetRunViews();
    Profile profile;
    profile.baseDirectory = QDir::homePath();
    m_editor->setProfile(profile);
    m_engine->setProfile(profile);
    m_profilePath.clear();
    m_modified = false;
    m_tokens->load(QString());
    updateTitle();
    updateActions();
    updateStatus();
}

void MainWindow::onProfileEdited()
{
    m_modified = true;
    // The table shows the plan being edited, once the typing pauses: each digit of 100000 would
    // otherwise rebuild every process on the way.
    m_applyTimer.start();
    updateTitle();
    updateActions();
}

void MainWindow::applyEdits()
{
    m_applyTimer.stop();
    // The engine refuses while processes run (the editor is locked then anyway).
    if (!m_engine->isBusy())
        m_engine->setProfile(m_editor->profile());
    updateActions();
    updateStatus();
}

bool MainWindow::save()
{
    return m_profilePath.isEmpty() ? saveAs() : saveTo(m_profilePath);
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Profile"),
        m_profilePath.isEmpty() ? QDir::homePath() + u"/bot.json"_s : m_profilePath,
        tr("Profiles (*.json)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(u".json"_s, Qt::CaseInsensitive))
        path += u".json"_s;
    return saveTo(path);
}

bool MainWindow::saveTo(const QString &path)
{
    // A profile that does not validate cannot be started from its file: say so before writing.
    if (!m_editor->isValid()) {
        QStringList lines;
        for (const ProfileError &e : m_editor->errors())
            lines << e.toString();
        QMessageBox box(QMessageBox::Warning, tr("The profile has problems"),
                        tr("The profile has %n problem(s); saved as it is, it cannot be started "
                           "until they are fixed. Save anyway?",
                           nullptr, int(lines.size())),
                        QMessageBox::Save | QMessageBox::Cancel, this);
        box.setObjectName(u"saveInvalidQuestion"_s);
        box.setDefaultButton(QMessageBox::Cancel);
        box.setInformativeText(lines.join(u'\n'));
        if (box.exec() != QMessageBox::Save)
            return false;
    }
    Profile profile = m_editor->profile();
    // Relative paths stay relative to where the profile lives.
    QString error;
    if (!profile.save(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save profile"), error);
        return false;
    }
    const QString saved = QFileInfo(path).absoluteFilePath();
    if (saved != m_profilePath)
        m_tokens->load(saved); // the token is kept per profile file
    m_profilePath = saved;
    m_modified = false;
    m_editor->clearLoadErrors(); // the file holds what the form shows now
    m_recent->add(m_profilePath);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_profilePath)), 5000);
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_modified)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("The profile has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}
