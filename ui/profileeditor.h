#pragma once

#include "discord/discordgateway.h"
#include "profile/profile.h"

#include <QHash>
#include <QList>
#include <QWidget>

class ArgumentsEdit;
class PlanPreview;
class QAbstractSpinBox;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;
class QToolButton;
class QVBoxLayout;
class TimestampPreview;

// The form that edits one Profile (DESIGN §2): a field per key, each problem shown at its field,
// and a live preview of the shard plan, so a bot can be set up without hand-editing JSON.
class ProfileEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    explicit ProfileEditor(QWidget *parent = nullptr);

    // Fills every field; keeps profile.baseDirectory for resolving paths. Emits no profileEdited.
    void setProfile(const Profile &profile);
    // A Profile built from the fields (baseDirectory preserved).
    Profile profile() const;
    // The current problems: fields that cannot be read, then Profile::validate().
    QList<ProfileError> errors() const;
    bool isValid() const;
    // While processes run the fields become read-only (not hidden) and a note says why.
    void setLocked(bool locked);
    // What Discord said about the bot (recommended shards, session starts, concurrency): shown
    // under the shard numbers, and used to pace the plan preview.
    void setGatewayInfo(const GatewayInfo &info);
    void setGatewayMessage(const QString &text); // a failure or "asking…"
    bool isLocked() const { return m_locked; }

signals:
    void profileEdited();
    void validityChanged(bool valid);
    void fetchGatewayRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Browse { OpenFile, SaveFile, Folder, Program };

    // One key's input (the widget named field_<key>) and the label that shows its problems.
    struct Field
    {
        QWidget *input = nullptr;
        QLabel *error = nullptr;
    };

    QFormLayout *addGroup(QVBoxLayout *content, const QString &title);
    QVBoxLayout *addRow(QFormLayout *form, const QString &key, const QString &label,
                        const QString &tip, QWidget *input, QWidget *line = nullptr);
    // Sets up edit (a new QLineEdit if none) as a field: placeholder, edits tracked, lockable.
    QLineEdit *newLineEdit(const QString &placeholder = QString(), QLineEdit *edit = nullptr);
    QSpinBox *newSpinBox(int minimum, int maximum, int step, const QString &suffix = QString());
    QSpinBox *newMemorySpinBox(qint64 *bytes);
    QCheckBox *newCheckBox(const QString &text);
    QWidget *withBrowseButton(QLineEdit *edit, const QString &key, Browse kind);

    void buildBotGroup(QVBoxLayout *content);
    void buildShardsGroup(QVBoxLayout *content);
    void buildRestartsGroup(QVBoxLayout *content);
    void buildLoggingGroup(QVBoxLayout *content);
    void buildIpcGroup(QVBoxLayout *content);
    void buildDiscordGroup(QVBoxLayout *content);
    void alignLabels();

    void onEdited();
    void refresh();
    void showErrors();
    void browse(QLineEdit *edit, Browse kind);
    QString pathForField(const QString &chosen, Browse kind) const;
    void goToFirstProblem();
    QList<ProfileError> parseErrors() const;

    QString m_baseDirectory;
    // Kept in bytes so a profile's exact sizes survive a round trip through the MB spin boxes.
    qint64 m_memoryWarnBytes = 0;
    qint64 m_memoryLimitBytes = 0;
    bool m_loading = false;
    bool m_locked = false;
    bool m_valid = false;
    QList<ProfileError> m_errors;

    QHash<QString, Field> m_fields;
    QList<QLabel *> m_rowLabels;
    QList<QLineEdit *> m_lineEdits;
    QList<QAbstractSpinBox *> m_spinBoxes;
    QList<QWidget *> m_toggles; // check boxes, the combo and browse buttons: disabled when locked

    QLabel *m_lockedNote = nullptr;
    QWidget *m_problemBar = nullptr;
    QLabel *m_problemSummary = nullptr;
    QToolButton *m_problemGoto = nullptr;
    QScrollArea *m_scroll = nullptr;

    QLineEdit *m_file = nullptr;
    QLineEdit *m_interpreter = nullptr;
    ArgumentsEdit *m_interpreterArgs = nullptr;
    QLineEdit *m_workingDirectory = nullptr;
    ArgumentsEdit *m_arguments = nullptr;
    QSpinBox *m_maxShards = nullptr;
    QCheckBox *m_maxShardsAuto = nullptr;
    QSpinBox *m_shardsPerProcess = nullptr;
    QSpinBox *m_waitTime = nullptr;
    class GatewayPanel *m_gateway = nullptr;
    PlanPreview *m_plan = nullptr;
    QCheckBox *m_autoRestart = nullptr;
    QSpinBox *m_stopTimeout = nullptr;
    QSpinBox *m_restartDelay = nullptr;
    QSpinBox *m_restartDelayMax = nullptr;
    QSpinBox *m_maxRestarts = nullptr;
    QSpinBox *m_restartWindow = nullptr;
    QLineEdit *m_logFile = nullptr;
    QLineEdit *m_timestamp = nullptr;
    TimestampPreview *m_timestampPreview = nullptr;
    QCheckBox *m_silent = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_ipcAccept = nullptr;
    QLineEdit *m_tokenEnv = nullptr;
    QLineEdit *m_discordApi = nullptr;
    QSpinBox *m_memoryWarn = nullptr;
    QSpinBox *m_memoryLimit = nullptr;
    QCheckBox *m_memoryRestart = nullptr;
};
