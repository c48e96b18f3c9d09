#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

class Profile;
struct ShardRange;

// How a process is started, as a person may see it (the window's details dock, the control
// snapshot): the program, argv, working directory and the variables of DESIGN §1 the manager
// sets. Secrets are never in it: the token's variable holds "[token]" and SHARDER_IPC_TOKEN
// "[secret]", because they are described from placeholders rather than masked afterwards.
struct LaunchInfo {
    QString program;
    QStringList arguments;
    QString workingDirectory;
    QList<std::pair<QString, QString>> environment; // in DESIGN §1's order

    bool isValid() const { return !program.isEmpty(); }
    bool operator==(const LaunchInfo &) const = default;
    // The program and argv as a shell would take them back ('quoted' where needed).
    QString commandLine() const;

    static LaunchInfo describe(const Profile &profile, const ShardRange &range, int shardTotal,
                               bool hasToken);
    QJsonObject toJson() const;
    static LaunchInfo fromJson(const QJsonObject &o);
};
