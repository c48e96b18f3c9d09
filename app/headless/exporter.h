#pragma once

#include "engine/shardplan.h"
#include "profile/profile.h"

#include <QJsonObject>
#include <QList>
#include <QString>

class QCommandLineParser;

// `shard-manager --export kubernetes|systemd PROFILE --replicas N`: the files and commands that
// run one plan as N slices (`--cluster-index I --cluster-size N`), one per pod or host, printed on
// stdout for the operator to apply. Nothing is started or written. README "Kubernetes".
namespace Exporter {

// Where the exported service finds its parts (the container's paths; the unit's are the host's).
inline constexpr char kPodProfile[] = "/config/profile.json";
inline constexpr char kPodTokenDir[] = "/run/secrets/shard-manager";
inline constexpr char kPodRuntimeDir[] = "/run/shard-manager";
inline constexpr char kPodLogDir[] = "/var/log/shard-manager";
// The image holds the bot here: the profile's relative paths (file, workingDirectory, an
// interpreter given as a path) are taken relative to this folder instead of the profile's.
inline constexpr char kPodBotDir[] = "/bot";
inline constexpr int kMetricsPort = 9464;
// What the manager itself takes beside its processes, in each pod's memory request.
inline constexpr qint64 kManagerMargin = 64LL * 1024 * 1024;

// Everything the manifests are made of, worked out once from the command line and the profile.
struct Export {
    QString profilePath; // absolute, as a host sees it (systemd)
    QString name; // the objects' name: the profile's file name as a DNS-1123 label
    Profile profile;
    QJsonObject podProfile; // the profile as the pod reads it (paths moved, see podProfile())
    QStringList moved; // "key: old -> new" for each path podProfile() changed
    bool memoryLimitGiven = false; // the profile names memoryLimit (else it is only the default)
    QList<ShardRange> plan; // empty with maxShards "auto"
    int replicas = 0;
    QString image;
    QString ns;

    // Processes [first, end) of slice i: floor(i*P/N) to floor((i+1)*P/N), as the service slices.
    int sliceBegin(int i) const { return int(qint64(i) * plan.size() / replicas); }
    int sliceEnd(int i) const { return sliceBegin(i + 1); }
    // The largest slice: ceil(P/N) processes.
    int processesPerSlice() const { return int((plan.size() + replicas - 1) / replicas); }
    // "processes 4 to 7 (shards 16 to 31)" for slice i.
    QString sliceText(int i) const;
};

// Runs --export as the command line asks: the exit status (0; 2 for a profile that cannot be
// exported, its problems listed; 64 for a bad command line, the option named).
int run(const QCommandLineParser &parser);

// True when the command line asks for --export or gives one of its own options.
bool requested(const QCommandLineParser &parser);

// name lower-cased, other characters than [a-z0-9-] as '-', starting with a letter, at most 52
// characters (a StatefulSet's pods and revisions add suffixes to it): a DNS-1123 label.
QString dnsLabel(const QString &name);

// The profile as a pod reads it from kPodProfile: relative paths moved under kPodBotDir, the log
// file into kPodLogDir (a writable emptyDir); what moved is appended to moved.
QJsonObject podProfile(const QJsonObject &profile, QStringList *moved);

QString kubernetes(const Export &e);
QString systemd(const Export &e);

} // namespace Exporter
