// Fuzzes the profile parser (Profile::fromJson and fromFile): any bytes give a profile or errors,
// never a crash; each error names a key of the profile or the line and column of bad JSON; a
// profile without errors saves to JSON that loads again to the same profile.

#include "fuzzcheck.h"
#include "profile/profile.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <sys/mman.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

void checkErrors(const QByteArray &json, const QList<ProfileError> &errors)
{
    static const QStringList known = Profile::keys();
    static const QRegularExpression position(u"line (\\d+), column (\\d+)"_s);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    for (const ProfileError &e : errors) {
        FUZZ_CHECK(!e.message.isEmpty());
        // A key of the profile, or an unknown one that the file really has ("" included).
        if (known.contains(e.key) || object.contains(e.key))
            continue;
        FUZZ_CHECK(e.key.isEmpty());
        if (e.message.contains(u"JSON object"_s))
            continue; // valid JSON of another kind: the whole document is the problem
        const QRegularExpressionMatch match = position.match(e.message);
        FUZZ_CHECK(match.hasMatch());
        const qsizetype line = match.captured(1).toLongLong();
        const qsizetype column = match.captured(2).toLongLong();
        FUZZ_CHECK(line >= 1 && line <= json.count('\n') + 1);
        FUZZ_CHECK(column >= 1 && column <= json.size() + 1);
    }
}

// The same bytes through fromFile, by way of a memory file: no disk, no cleanup.
Profile loadThroughFile(const QByteArray &json, QList<ProfileError> *errors)
{
    static const int fd = memfd_create("fuzz-profile", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(pwrite(fd, json.constData(), size_t(json.size()), 0) == json.size());
    return Profile::fromFile(u"/proc/self/fd/%1"_s.arg(fd), errors);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString base = u"/proc/self/fd"_s; // where loadThroughFile's path resolves
    QList<ProfileError> errors;
    const Profile profile = Profile::fromJson(json, base, &errors);
    checkErrors(json, errors);

    QList<ProfileError> fileErrors;
    const Profile fromFile = loadThroughFile(json, &fileErrors);
    FUZZ_CHECK(fileErrors == errors);
    FUZZ_CHECK(fromFile == profile); // the folder included
    if (!errors.isEmpty())
        return 0;

    // What the editor saves must load again, unchanged and without complaint.
    const QByteArray saved = QJsonDocument(profile.toJson()).toJson();
    QList<ProfileError> reloadErrors;
    const Profile reloaded = Profile::fromJson(saved, base, &reloadErrors);
    FUZZ_CHECK(reloadErrors.isEmpty());
    FUZZ_CHECK(reloaded == profile);
    return 0;
}
