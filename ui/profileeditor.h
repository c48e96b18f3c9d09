#pragma once

#include "discord/discordgateway.h"
#include "profile/profile.h"
#include "profile/profileschema.h"

#include <QHash>
#include <QList>
#include <QWidget>

class PlanPreview;
class ProfileField;
class QFormLayout;
class QGridLayout;
class QLabel;
class QScrollArea;
class QToolButton;
class QVBoxLayout;
class TimestampPreview;

// The form that edits one Profile (DESIGN §2): a field per key of the schema (ProfileField),
// grouped as the schema says, each problem shown at its field, and a live preview of the shard
// plan and the timestamp, so a bot can be set up without hand-editing JSON.
class ProfileEditor : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    explicit ProfileEditor(QWidget *parent = nullptr);

    // Fills every field; keeps profile.baseDirectory for resolving paths. Emits no profileEdited.
    // loadErrors: what reading the profile's file found (a wrong type, an unknown key), shown
    // with the others, each at its field until that field is edited.
    void setProfile(const Profile &profile, const QList<ProfileError> &loadErrors = {});
    // The file now holds what the form shows (saved): what reading it found is gone.
    void clearLoadErrors();
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
    // The width below which labels go above their fields: side by side, the form needs it to be
    // read without scrolling sideways (its vertical scroll bar included).
    int sideBySideWidth() const;

signals:
    void profileEdited();
    void validityChanged(bool valid);
    void fetchGatewayRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QFormLayout *addGroup(QVBoxLayout *content, ProfileKey::Group group);
    void addField(QFormLayout *form, const ProfileKey &key);
    void addShardPreviews(QFormLayout *form);
    void alignLabels();

    void onEdited();
    void refresh();
    void showErrors();
    void goToFirstProblem();
    void goTo(const ProfileField *field);
    QList<ProfileError> parseErrors() const;

    QString m_baseDirectory;
    bool m_loading = false;
    bool m_locked = false;
    bool m_valid = false;
    QList<ProfileError> m_errors;
    QList<ProfileError> m_loadErrors;

    QList<ProfileField *> m_fields; // in the schema's order
    QHash<QString, ProfileField *> m_fieldByKey;
    QList<QLabel *> m_rowLabels;
    QList<QFormLayout *> m_forms;
    int m_labelWidth = 0;
    int m_sideBySideMinimum = 0; // the form's own minimum width, labels beside, when last seen

    QLabel *m_lockedNote = nullptr;
    // Under the form: the count, then each problem with the field it belongs to.
    QWidget *m_problemBar = nullptr;
    QLabel *m_problemSummary = nullptr;
    QToolButton *m_problemGoto = nullptr;
    QScrollArea *m_problemScroll = nullptr;
    QGridLayout *m_problemGrid = nullptr;
    QHash<const ProfileField *, QLabel *> m_problemNames;
    QLabel *m_otherProblems = nullptr; // those of no field (an unknown key)
    QScrollArea *m_scroll = nullptr;

    class GatewayPanel *m_gateway = nullptr;
    PlanPreview *m_plan = nullptr;
    TimestampPreview *m_timestampPreview = nullptr;
};
