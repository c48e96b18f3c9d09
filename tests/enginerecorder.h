#pragma once

// Records everything a ShardEngine reports, per process, for the engine tests.

#include "engine/shardengine.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QStringList>

#include <utility>

using namespace Qt::StringLiterals;

// Everything the engine reports, per process.
struct Recorder {
    QList<QStringList> out;
    QList<QStringList> err;
    QList<std::pair<int, qint64>> started; // process, pid
    QList<std::pair<int, qint64>> launchedAtMs; // process, ms on the recorder's clock
    QList<std::pair<int, ExitInfo>> exits;
    QList<std::pair<int, ProcessState>> states;
    QStringList notices;
    QList<std::pair<int, QString>> ipc; // sender process, message
    QList<std::pair<int, qint64>> readyAtMs; // process, ms on the recorder's clock
    QList<std::pair<int, qint64>> stoppingAtMs;
    QElapsedTimer clock;

    explicit Recorder(ShardEngine *engine)
    {
        clock.start();
        const int n = engine->processCount();
        out.resize(n);
        err.resize(n);
        QObject::connect(engine, &ShardEngine::linesRead, engine,
                         [this](int process, bool isStderr, const QStringList &lines) {
            (isStderr ? err : out)[process] += lines;
        });
        QObject::connect(engine, &ShardEngine::processStarted, engine,
                         [this](int process, qint64 pid) {
            started.append({process, pid});
        });
        QObject::connect(engine, &ShardEngine::processExited, engine,
                         [this](int process, const ExitInfo &info) {
            exits.append({process, info});
        });
        QObject::connect(engine, &ShardEngine::processStateChanged, engine,
                         [this](int process, ProcessState state) {
            states.append({process, state});
            // "starting" is set as the engine launches: the moment a stagger times.
            if (state == ProcessState::Starting)
                launchedAtMs.append({process, clock.elapsed()});
            if (state == ProcessState::Stopping)
                stoppingAtMs.append({process, clock.elapsed()});
        });
        QObject::connect(engine, &ShardEngine::notice, engine,
                         [this](const QString &text) { notices << text; });
        QObject::connect(engine, &ShardEngine::ipcMessage, engine,
                         [this](int, int process, const QString &text) {
            ipc.append({process, text});
        });
        QObject::connect(engine, &ShardEngine::processReady, engine, [this](int process) {
            readyAtMs.append({process, clock.elapsed()});
        });
    }

    // Lines a process printed that start with prefix (e.g. "IPC " from fakeshard --ipc-echo).
    QStringList outputStartingWith(int process, const QString &prefix) const
    {
        QStringList list;
        for (const QString &line : out.at(process)) {
            if (line.startsWith(prefix))
                list << line;
        }
        return list;
    }

    QList<int> startedProcesses() const
    {
        QList<int> list;
        for (const auto &[process, pid] : started)
            list << process;
        return list;
    }

    // The value of "ENV <name>=..." printed by process, or "unset"/"missing".
    QString env(int process, const QString &name) const
    {
        for (const QString &line : out.at(process)) {
            if (line.startsWith(u"ENV "_s + name + u'='))
                return line.mid(5 + name.size());
            if (line == u"ENV "_s + name + u" unset"_s)
                return u"unset"_s;
        }
        return u"missing"_s;
    }

    QStringList argv(int process) const
    {
        QStringList list;
        for (const QString &line : out.at(process)) {
            if (line.startsWith(u"ARGV "_s)) {
                const QJsonArray array = QJsonDocument::fromJson(line.mid(5).toUtf8()).array();
                for (const QJsonValue &v : array)
                    list << v.toString();
            }
        }
        return list;
    }
};
