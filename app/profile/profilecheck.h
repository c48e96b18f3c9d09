#pragma once

#include <QList>

class Profile;
struct ProfileError;

// Checks of a profile against this machine as it is now, beyond the profile's own values: what
// would otherwise only fail once the run has started. Part of Profile::validate(); each problem
// names the key it is about. They look, and never create or change anything.
namespace ProfileCheck {

// What a key's type and bounds (profile/profileschema.h) cannot say: files, programs and folders
// exist, names and addresses are well formed, keys that depend on each other agree.
void values(const Profile &profile, QList<ProfileError> *errors);
// The log file can be created (no regular file where a folder must be) and written.
void logFile(const Profile &profile, QList<ProfileError> *errors);
// The system takes each process's command line and environment (execve's limits).
void commandLine(const Profile &profile, QList<ProfileError> *errors);
// The timestamp format makes no more text than a log line may carry.
void timestamp(const Profile &profile, QList<ProfileError> *errors);

// Every problem of a profile just read from a file, so one round of fixes is enough: errors holds
// what reading found (wrong types, unknown keys); validate()'s problems are added, except for a
// key already reported (its value is the default that stood in for the unreadable one). A file
// that is no profile at all (an error tied to no key: bad JSON, not an object) gets nothing more.
void afterLoad(const Profile &profile, QList<ProfileError> *errors);

} // namespace ProfileCheck
