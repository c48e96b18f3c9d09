#pragma once

#include "engine/shardplan.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

// One problem with a profile, tied to the key it is about so a form can mark that field.
struct ProfileError {
    QString key;
    QString message;

    QString toString() const;
    bool operator==(const ProfileError &) const = default;
};

// One bot's configuration (DESIGN §2): what to run, how many shards, how to restart, where to log.
// Paths are kept as written; the resolved* accessors resolve them against the profile's folder.
// Each key's name, type, bounds and help are in profile/profileschema.h; its default is here.
class Profile {
public:
    enum class IpcAccept { Children, Any };

    // Far above any bot Discord serves today, low enough that a typo cannot plan a million
    // processes.
    static constexpr int kMaxShards = 100000;

    // Values as in DESIGN §2. Sizes in bytes, times in milliseconds.
    QString file;
    QString interpreter = QStringLiteral("luvit");
    QStringList interpreterArgs;
    QString workingDirectory;
    int port = 1337;
    QString host = QStringLiteral("127.0.0.1");
    int maxShards = 10;
    bool maxShardsAuto = false;
    int shardsPerProcess = 1;
    int waitTime = 2500;
    QStringList arguments;
    bool autoRestart = true;
    bool silent = false;
    QString logFile;
    QString timestamp = QStringLiteral("!%Y-%m-%dT%H:%M:%S");
    QString tokenEnv = QStringLiteral("DISCORD_TOKEN");
    int stopTimeout = 10000;
    int restartDelay = 1000;
    int restartDelayMax = 60000;
    int maxRestarts = 5;
    int restartWindow = 60000;
    IpcAccept ipcAccept = IpcAccept::Children;
    QString discordApi = QStringLiteral("https://discord.com/api/v10");
    qint64 memoryWarn = 1500LL * 1000 * 1000;
    qint64 memoryLimit = 1900LL * 1000 * 1000;
    bool memoryRestart = false;

    // The folder relative paths are resolved against; empty means the current directory.
    QString baseDirectory;

    // Every key's name, in the editor's order (ProfileSchema::keys()).
    static QStringList keys();

    // Same values, the folder included.
    bool operator==(const Profile &) const = default;

    // Parses JSON text; every problem found is appended to errors (all of them, not just the
    // first).
    static Profile fromJson(const QByteArray &json, const QString &baseDirectory,
                            QList<ProfileError> *errors);
    static Profile fromFile(const QString &path, QList<ProfileError> *errors);

    QJsonObject toJson() const;
    bool save(const QString &path, QString *error) const;

    // Semantic checks (bounds, files, interpreter, this machine); empty when the profile can run.
    QList<ProfileError> validate() const;

    // What the process owning range is started with after the program (DESIGN §1), and its
    // environment: the engine starts processes with these, and validation measures them.
    QStringList childArguments(const ShardRange &range, int shardTotal) const;
    QProcessEnvironment childEnvironment(const ShardRange &range, int shardTotal,
                                         const QString &ipcToken, const QString &token) const;

    QString resolvedFile() const;
    QString resolvedWorkingDirectory() const;
    QString resolvedLogFile() const;
    // The interpreter's full path: a path containing '/' resolves against the profile's folder,
    // a bare name is looked up beside the manager's executable, then in PATH. Empty if not found.
    QString resolvedInterpreter() const;
    // A path as written in the profile, resolved against its folder; "~" is the home folder.
    QString resolvePath(const QString &path) const;

    Q_DECLARE_TR_FUNCTIONS(Profile)
};

// "1.5GB", "1500M", 1500000000 -> bytes. Returns nullopt for anything else.
std::optional<qint64> parseByteSize(const QString &text);
