#pragma once

#include <QList>
#include <QObject>

class AbstractEngine;

// Watches each process's memory against the profile's memoryWarn and memoryLimit, and says
// once when one crosses a level upwards (the table's colour alone goes unseen while the window
// is in the tray). Falling back under a level lets the next crossing be told again.
class MemoryAlerts : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryAlerts)

public:
    explicit MemoryAlerts(AbstractEngine *engine, QObject *parent = nullptr);

signals:
    // level 1: over memoryWarn, 2: over memoryLimit; text says so for a person.
    void crossed(int process, int level, const QString &text);

private:
    void check();

    AbstractEngine *m_engine;
    QList<int> m_levels; // per process: the level last told
};
