#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

class AbstractEngine;

// The manager's lines about process ends, for the All pane and the status bar: an unexpected
// exit with what happens next, a crash loop named as such, and stops the user asked for (many
// at once, as Stop All makes them, in one line).
class ManagerNotices : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManagerNotices)

public:
    explicit ManagerNotices(AbstractEngine *engine, QObject *parent = nullptr);

signals:
    void notice(const QString &text);

private:
    void reportStopped();

    AbstractEngine *m_engine;
    QList<int> m_stopped; // requested stops not yet reported
    QTimer m_stoppedTimer;
};
