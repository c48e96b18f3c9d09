// --export systemd: for operators without a cluster, the commands that run slice i of the plan on
// host i with the packaged user unit (installer/shard-manager@.service) and a drop-in of its own.

#include "headless/exporter.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// The shipped unit's TimeoutStopSec: a drop-in only ever raises it.
constexpr int kUnitStopSeconds = 60;
} // namespace

namespace Exporter {

QString systemd(const Export &e)
{
    const int replicas = e.replicas;
    const QString profile = e.profilePath;
    const int stopSeconds = std::max(kUnitStopSeconds, (e.profile.stopTimeout + 999) / 1000 + 30);
    QString t;
    const auto line = [&t](const QString &text) { t += text + u'\n'; };
    line(u"# systemd user services for %1, from shard-manager %2 --export systemd --replicas %3."_s
             .arg(profile, QCoreApplication::applicationVersion())
             .arg(replicas));
    line(u"# Each host needs shard-manager (its package installs the user unit "
         "shard-manager@.service),"_s);
    line(u"# the bot and its interpreter, and this profile at the same path: %1"_s.arg(profile));
    if (e.plan.isEmpty()) {
        line(u"# maxShards is \"auto\": each host asks Discord (the same answer for all) and runs "
             "its slice."_s);
    } else {
        line(u"# %1 shards in %2 processes; host i runs processes [i*%2/%3, (i+1)*%2/%3)."_s
                 .arg(e.profile.maxShards)
                 .arg(e.plan.size())
                 .arg(replicas));
    }
    line(u"# Start the hosts in order, each once the one before is ready (there, "
         "shard-manager --status --ready"_s);
    line(u"# %1 exits 0): one host identifies at a time, within Discord's max_concurrency."_s.arg(
        profile));
    line(u"# The token: a file only you can read, on each host, at "
         "~/.config/shard-manager/%1.token"_s.arg(e.name));
    for (int i = 0; i < replicas; ++i) {
        line(QString());
        line(u"# ---- host %1 of %2%3: run these there"_s.arg(i).arg(replicas).arg(
            e.plan.isEmpty() ? QString() : u", "_s + e.sliceText(i)));
        if (i > 0)
            line(u"# first wait for host %1: until ssh HOST%1 shard-manager --status --ready %2; "
                 "do sleep 5; done"_s.arg(i - 1)
                     .arg(profile));
        line(u"unit=\"shard-manager@$(systemd-escape --path %1).service\""_s.arg(profile));
        line(u"mkdir -p ~/.config/systemd/user/\"$unit.d\""_s);
        line(u"cat > ~/.config/systemd/user/\"$unit.d/cluster.conf\" <<'EOF'"_s);
        line(u"[Service]"_s);
        line(u"LoadCredential=token:%h/.config/shard-manager/"_s + e.name + u".token"_s);
        line(u"ExecStart="_s);
        line(u"ExecStart=/usr/bin/shard-manager --headless --token-file token --cluster-index %1 "
             "--cluster-size %2 %f"_s.arg(i)
                 .arg(replicas));
        line(u"TimeoutStopSec=%1"_s.arg(stopSeconds));
        line(u"EOF"_s);
        line(u"systemctl --user daemon-reload"_s);
        line(u"systemctl --user enable --now \"$unit\""_s);
        line(u"loginctl enable-linger \"$USER\""_s);
    }
    return t;
}

} // namespace Exporter
