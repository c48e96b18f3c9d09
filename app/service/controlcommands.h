#pragma once

#include <QJsonObject>
#include <QString>

class ShardEngine;

// The commands a control client sends (docs/control-protocol.md), carried out on the engine.
// Each gives the fields of its reply: {"ok": true, ...} or {"ok": false, "error": why}.
class ControlCommands {
public:
    ControlCommands(ShardEngine *engine, const QString &profilePath);

    // "stopService" only answers here: the server tells the front end, which stops and exits.
    QJsonObject run(const QJsonObject &command);

private:
    QJsonObject applyProfile(const QJsonObject &profile);
    // The process a command names, or -1 with error set.
    int processOf(const QJsonObject &command, QString *error) const;

    ShardEngine *m_engine;
    QString m_profilePath;
};
