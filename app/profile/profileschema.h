#pragma once

#include "profile/profile.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QString>

#include <limits>
#include <span>
#include <variant>

// One profile key (DESIGN §2): its name, the Profile member that holds it, the bounds validation
// holds it to and the text the editor shows. Loading, saving, the type and bounds checks, the
// editor's fields and the README's key table test all read ProfileSchema::keys(), so a plain key
// is a Profile member (with its default), one row in profileschema.cpp, and its use.
struct ProfileKey {
    // The editor's group the key is shown in; groups are shown in this order.
    enum class Group { Bot, Shards, Restarts, Logging, Ipc, Discord };
    // What an integer counts: the editor's suffix, and where its field stops when validation
    // sets no upper bound.
    enum class Unit { None, Shards, Milliseconds, Times };
    // What a text names, so the editor can offer the matching file dialog.
    enum class Path { None, File, Program, Folder, NewFile };
    // One value of a choice (its position is the enum's value) and what it means.
    struct Choice {
        const char *value;
        const char *help; // translated in the context "ProfileKey"
    };

    // The member's type is the key's type: text, argument list, whole number, switch, byte size
    // (text such as "1.5GB" is read too) or a choice.
    using Member = std::variant<QString Profile::*, QStringList Profile::*, int Profile::*,
                                bool Profile::*, qint64 Profile::*, Profile::IpcAccept Profile::*>;

    static constexpr qint64 kNoMaximum = std::numeric_limits<qint64>::max();

    const char *name;
    Member member;
    Group group;
    const char
        *label; // the editor's label; this and the texts below are translated in "ProfileKey"
    const char *help; // one or two sentences: the tooltip
    // A text's placeholder (its default when none is given), a switch's check box text.
    const char *hint = nullptr;
    // Numbers and byte sizes: what validation accepts.
    qint64 minimum = 0;
    qint64 maximum = kNoMaximum;
    int step = 1; // the editor's spin box step
    Unit unit = Unit::None;
    Path path = Path::None;
    bool nullable = false; // a text that may be null in the file, which means empty
    bool alwaysSaved = false; // written even at its default, so a saved profile reads at a glance
    bool Profile::*automatic = nullptr; // a number that may also be "auto", which sets this
    std::span<const Choice> choices = {};

    QString labelText() const;
    QString helpText() const;
    QString hintText() const;

    // The value as a profile file holds it.
    QJsonValue value(const Profile &profile) const;
    QJsonValue defaultValue() const;
    bool isDefault(const Profile &profile) const { return value(profile) == defaultValue(); }
    // Reads the value a profile file holds; false, with what is wrong in *error, for a wrong type.
    bool setValue(Profile *profile, const QJsonValue &value, QString *error) const;
    // Empty when the value is within minimum and maximum, else what is wrong.
    QString checkBounds(const Profile &profile) const;

    Q_DECLARE_TR_FUNCTIONS(ProfileKey)
};

namespace ProfileSchema {

// Every key, grouped and in the editor's order.
std::span<const ProfileKey> keys();
// nullptr for a name that is no key.
const ProfileKey *find(QStringView name);

} // namespace ProfileSchema
