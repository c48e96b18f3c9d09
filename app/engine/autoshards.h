#pragma once

#include <QObject>

#include <utility>

class GatewayGuard;
class Profile;

// maxShards "auto" (DESIGN §2): the shard count Discord recommends for the token. Until it is
// known the plan is empty, so a start asks Discord first and goes on when the answer comes.
class AutoShards : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AutoShards)

public:
    explicit AutoShards(GatewayGuard *guard, QObject *parent = nullptr);

    // Discord's count, 0 until it answered.
    int count() const { return m_count; }
    // The shard count a plan of profile is built for: its maxShards, or Discord's for "auto".
    int total(const Profile &profile) const;
    void forget() { m_count = 0; }
    // Discord answered: true when the count changed, so the plan must be rebuilt.
    bool take(int count) { return std::exchange(m_count, count) != count; }

    // Whether a start of profile must ask Discord first.
    bool needsFetch(const Profile &profile) const;
    // Asks Discord for a start that waits for the answer; false, and why, when it cannot ask.
    bool fetchForStart(const Profile &profile, const QString &token, QString *error);
    // Whether a start waited for the answer that just came (or failed); asks once.
    bool takeWaitingStart() { return std::exchange(m_startAfterFetch, false); }

signals:
    void notice(const QString &text);

private:
    GatewayGuard *m_guard;
    int m_count = 0;
    bool m_startAfterFetch = false;
};
