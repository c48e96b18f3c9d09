#pragma once

#include <QWidget>

#include <optional>

class QLabel;
class QTreeWidget;

// The shard plan of the profile being edited (DESIGN §3): which shards each process owns and when
// it starts, with a one-line summary, so a change to the numbers shows its effect as it is typed.
class PlanPreview : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanPreview)

public:
    explicit PlanPreview(QWidget *parent = nullptr);

    // What Discord said (0: not known): the recommended count for "auto", and max_concurrency,
    // which paces the starts (a process of k shards needs k * 5 s / concurrency to identify).
    void setGateway(int recommendedShards, int maxConcurrency);

    void showPlan(int maxShards, int shardsPerProcess, int waitTimeMs);
    // maxShards is "auto": the shard count, and so the plan, is known only once Discord answers.
    void showAuto(int shardsPerProcess, int waitTimeMs);

private:
    struct Shown {
        bool automatic = false;
        int maxShards = 0;
        int shardsPerProcess = 0;
        int waitTimeMs = 0;
        int recommended = 0;
        int concurrency = 0;
        bool operator==(const Shown &) const = default;
    };

    bool alreadyShown(const Shown &shown);
    void renderPlan(int maxShards, int shardsPerProcess, int waitTimeMs);
    void addSpannedRow(const QString &text);

    QLabel *m_caption = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_warning = nullptr;
    int m_recommended = 0;
    int m_concurrency = 0;
    // What the list holds now: edits to unrelated fields then cost nothing.
    std::optional<Shown> m_shown;
};
