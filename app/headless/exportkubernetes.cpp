// --export kubernetes: a ConfigMap (the profile), a headless Service and a StatefulSet whose pod i
// runs slice i of the plan. The YAML is written by hand: every value that is not a fixed word is
// double-quoted with JSON escapes (which YAML's double-quoted style reads the same).

#include "headless/exporter.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

QString quoted(const QString &text)
{
    // A JSON array of one string, brackets removed: the string in JSON's escapes.
    const QByteArray json = QJsonDocument(QJsonArray {text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

constexpr qint64 kMiB = 1024LL * 1024;

// Lines appended with their indentation, so each object reads as it is printed.
class Yaml {
public:
    Yaml &line(int indent, const QString &text)
    {
        m_text += QString(indent, u' ') + text + u'\n';
        return *this;
    }
    Yaml &comment(int indent, const QString &text) { return line(indent, u"# "_s + text); }
    // A document's apiVersion, kind and metadata (name, namespace, labels).
    Yaml &object(const QString &apiVersion, const QString &kind, const QString &name,
                 const Exporter::Export &e)
    {
        line(0, u"---"_s);
        line(0, u"apiVersion: "_s + apiVersion);
        line(0, u"kind: "_s + kind);
        line(0, u"metadata:"_s);
        line(2, u"name: "_s + quoted(name));
        if (!e.ns.isEmpty())
            line(2, u"namespace: "_s + quoted(e.ns));
        return labels(2, e);
    }
    Yaml &labels(int indent, const Exporter::Export &e, const QString &key = u"labels"_s)
    {
        line(indent, key + u':');
        line(indent + 2, u"app.kubernetes.io/name: shard-manager"_s);
        line(indent + 2, u"app.kubernetes.io/instance: "_s + quoted(e.name));
        return *this;
    }
    Yaml &command(int indent, const QStringList &argv)
    {
        line(indent, u"command:"_s);
        for (const QString &argument : argv)
            line(indent, u"- "_s + quoted(argument));
        return *this;
    }
    QString text() const { return m_text; }

private:
    QString m_text;
};

QString header(const Exporter::Export &e, const QString &secret)
{
    Yaml y;
    const QString ns = e.ns.isEmpty() ? QString() : u" --namespace "_s + e.ns;
    y.comment(0,
              u"Kubernetes manifests for %1, from shard-manager %2 --export kubernetes "
              "--replicas %3."_s.arg(e.profilePath, QCoreApplication::applicationVersion())
                  .arg(e.replicas));
    if (e.plan.isEmpty()) {
        y.comment(0,
                  u"maxShards is \"auto\": each pod asks Discord (GET /gateway/bot, the same "
                  "answer for all) and runs its slice of that plan."_s);
    } else {
        y.comment(0,
                  u"%1 shards in %2 processes, %3 pods; pod i runs processes [i*%2/%3, "
                  "(i+1)*%2/%3):"_s.arg(e.profile.maxShards)
                      .arg(e.plan.size())
                      .arg(e.replicas));
        for (int i = 0; i < e.replicas; ++i)
            y.comment(0, u"  %1-%2: %3"_s.arg(e.name).arg(i).arg(e.sliceText(i)));
    }
    y.comment(0,
              u"The token is not in these manifests. Create its Secret first, from a file "
              "holding only the token:"_s);
    y.comment(
        0, u"  kubectl create secret generic %1 --from-file=token=./bot.token%2"_s.arg(secret, ns));
    y.comment(0, u"then: kubectl apply%1 -f THIS-FILE.yaml"_s.arg(ns));
    y.comment(0, u"Attach the window to pod 0:"_s);
    y.comment(0,
              u"  shard-manager --attach-command \"kubectl exec -i%1 %2-0 -- shard-manager "
              "--control %3\""_s.arg(ns, e.name, QString::fromLatin1(Exporter::kPodProfile)));
    return y.text();
}

QString configMap(const Exporter::Export &e, const QString &name)
{
    Yaml y;
    y.object(u"v1"_s, u"ConfigMap"_s, name, e);
    y.line(0, u"data:"_s);
    y.comment(2,
              u"The profile, read at %1. The image must hold the bot: relative paths are "
              "taken under %2, the log file goes to %3 (an emptyDir)."_s.arg(
                  QString::fromLatin1(Exporter::kPodProfile),
                  QString::fromLatin1(Exporter::kPodBotDir),
                  QString::fromLatin1(Exporter::kPodLogDir)));
    for (const QString &moved : e.moved)
        y.comment(2, u"  "_s + moved);
    y.line(2, u"profile.json: |"_s);
    const QString json
        = QString::fromUtf8(QJsonDocument(e.podProfile).toJson(QJsonDocument::Indented));
    for (const QString &line : json.split(u'\n', Qt::SkipEmptyParts))
        y.line(4, line);
    return y.text();
}

QString service(const Exporter::Export &e)
{
    Yaml y;
    y.object(u"v1"_s, u"Service"_s, e.name, e);
    y.line(0, u"spec:"_s);
    y.comment(2,
              u"Headless: the StatefulSet's pods get stable names (%1-0, %1-1, ...), no "
              "load balancing."_s.arg(e.name));
    y.line(2, u"clusterIP: None"_s);
    y.labels(2, e, u"selector"_s);
    y.line(2, u"ports:"_s);
    y.line(2, u"- name: metrics"_s);
    y.line(4, u"port: %1"_s.arg(Exporter::kMetricsPort));
    y.line(4, u"targetPort: metrics"_s);
    return y.text();
}

void resources(Yaml &y, const Exporter::Export &e)
{
    if (!e.memoryLimitGiven || e.plan.isEmpty()) {
        y.comment(8,
                  e.plan.isEmpty()
                      ? u"No memory requests or limits: with maxShards \"auto\" the processes "
                        "per pod are known only at start."_s
                      : u"No memory requests or limits: the profile sets no memoryLimit (set it "
                        "to get memoryLimit x processes per pod + 64 MiB)."_s);
        return;
    }
    const int processes = e.processesPerSlice();
    const qint64 bytes = e.profile.memoryLimit * processes + Exporter::kManagerMargin;
    const QString memory = u"%1Mi"_s.arg((bytes + kMiB - 1) / kMiB);
    y.comment(8,
              u"memoryLimit %1 bytes x %2 processes (the largest slice) + 64 MiB for the "
              "manager."_s.arg(e.profile.memoryLimit)
                  .arg(processes));
    y.line(8, u"resources:"_s);
    y.line(10, u"requests:"_s);
    y.line(12, u"memory: "_s + memory);
    y.line(10, u"limits:"_s);
    y.line(12, u"memory: "_s + memory);
}

QString statefulSet(const Exporter::Export &e, const QString &profileMap, const QString &secret)
{
    const QString profile = QString::fromLatin1(Exporter::kPodProfile);
    const int grace = (e.profile.stopTimeout + 999) / 1000 + 30;
    Yaml y;
    y.object(u"apps/v1"_s, u"StatefulSet"_s, e.name, e);
    y.line(0, u"spec:"_s);
    y.line(2, u"serviceName: "_s + quoted(e.name));
    y.line(2, u"replicas: %1"_s.arg(e.replicas));
    y.comment(2,
              u"Pod i+1 is created once pod i is Ready (all its shards identified): one pod "
              "identifies at a time, within Discord's max_concurrency."_s);
    y.line(2, u"podManagementPolicy: OrderedReady"_s);
    y.line(2, u"selector:"_s);
    y.labels(4, e, u"matchLabels"_s);
    y.line(2, u"template:"_s);
    y.line(4, u"metadata:"_s);
    y.labels(6, e);
    y.line(6, u"annotations:"_s);
    y.line(8, u"prometheus.io/scrape: \"true\""_s);
    y.line(8, u"prometheus.io/port: \"%1\""_s.arg(Exporter::kMetricsPort));
    y.line(8, u"prometheus.io/path: /metrics"_s);
    y.line(4, u"spec:"_s);
    y.comment(6,
              u"The profile's stopTimeout (%1 ms) + 30 s: the manager stops its processes "
              "itself before the kubelet's SIGKILL."_s.arg(e.profile.stopTimeout));
    y.line(6, u"terminationGracePeriodSeconds: %1"_s.arg(grace));
    y.comment(6, u"The pause container is PID 1 and reaps orphans the bot leaves behind."_s);
    y.line(6, u"shareProcessNamespace: true"_s);
    y.line(6, u"containers:"_s);
    y.line(6, u"- name: shard-manager"_s);
    y.comment(
        8,
        u"Default: shard-manager:%1, an image to build yourself holding shard-manager, "
        "the interpreter and the bot under %2."_s.arg(QCoreApplication::applicationVersion(),
                                                      QString::fromLatin1(Exporter::kPodBotDir)));
    y.line(8, u"image: "_s + quoted(e.image));
    y.comment(8,
              u"In the foreground; the slice from the pod's name (%1-I), the token from the "
              "Secret."_s.arg(e.name));
    y.command(8,
              {u"shard-manager"_s, u"--headless"_s, u"--no-echo"_s, u"--token-file"_s,
               QString::fromLatin1(Exporter::kPodTokenDir) + u"/token"_s, u"--cluster-index"_s,
               u"auto"_s, u"--cluster-size"_s, QString::number(e.replicas), u"--metrics"_s,
               u"0.0.0.0:%1"_s.arg(Exporter::kMetricsPort), profile});
    y.line(8, u"env:"_s);
    y.comment(8, u"The control socket's folder (the probes and kubectl exec find it there)."_s);
    y.line(8, u"- name: XDG_RUNTIME_DIR"_s);
    y.line(10, u"value: "_s + quoted(QString::fromLatin1(Exporter::kPodRuntimeDir)));
    y.line(8, u"ports:"_s);
    y.line(8, u"- name: metrics"_s);
    y.line(10, u"containerPort: %1"_s.arg(Exporter::kMetricsPort));
    resources(y, e);
    y.comment(8, u"Ready when every shard of the pod's slice is ready."_s);
    y.line(8, u"readinessProbe:"_s);
    y.line(10, u"exec:"_s);
    y.command(12, {u"shard-manager"_s, u"--status"_s, u"--ready"_s, profile});
    y.line(10, u"periodSeconds: 5"_s);
    y.line(10, u"timeoutSeconds: 5"_s);
    y.comment(8, u"Alive while the service answers on its control socket."_s);
    y.line(8, u"livenessProbe:"_s);
    y.line(10, u"exec:"_s);
    y.command(12, {u"shard-manager"_s, u"--status"_s, profile});
    y.line(10, u"initialDelaySeconds: 10"_s);
    y.line(10, u"periodSeconds: 10"_s);
    y.line(10, u"timeoutSeconds: 5"_s);
    y.line(10, u"failureThreshold: 3"_s);
    y.line(8, u"volumeMounts:"_s);
    y.comment(8, u"One file (subPath): its path stays the same, and so does its control socket."_s);
    y.line(8, u"- name: profile"_s);
    y.line(10, u"mountPath: "_s + quoted(profile));
    y.line(10, u"subPath: profile.json"_s);
    y.line(10, u"readOnly: true"_s);
    y.line(8, u"- name: token"_s);
    y.line(10, u"mountPath: "_s + quoted(QString::fromLatin1(Exporter::kPodTokenDir)));
    y.line(10, u"readOnly: true"_s);
    y.line(8, u"- name: runtime"_s);
    y.line(10, u"mountPath: "_s + quoted(QString::fromLatin1(Exporter::kPodRuntimeDir)));
    y.line(8, u"- name: logs"_s);
    y.line(10, u"mountPath: "_s + quoted(QString::fromLatin1(Exporter::kPodLogDir)));
    y.line(6, u"volumes:"_s);
    y.line(6, u"- name: profile"_s);
    y.line(8, u"configMap:"_s);
    y.line(10, u"name: "_s + quoted(profileMap));
    y.line(6, u"- name: token"_s);
    y.line(8, u"secret:"_s);
    y.line(10, u"secretName: "_s + quoted(secret));
    y.comment(10, u"0400: --token-file warns about a token others may read."_s);
    y.line(10, u"defaultMode: 256"_s);
    y.line(6, u"- name: runtime"_s);
    y.line(8, u"emptyDir:"_s);
    y.line(10, u"medium: Memory"_s);
    y.line(6, u"- name: logs"_s);
    y.line(8, u"emptyDir: {}"_s);
    return y.text();
}

} // namespace

namespace Exporter {

QString kubernetes(const Export &e)
{
    const QString profileMap = e.name + u"-profile"_s;
    const QString secret = e.name + u"-token"_s;
    return header(e, secret) + configMap(e, profileMap) + service(e)
        + statefulSet(e, profileMap, secret);
}

} // namespace Exporter
