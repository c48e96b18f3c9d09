#pragma once

#include "discord/discordgateway.h"

#include <QWidget>

class QLabel;

// "Fetch from Discord" and what Discord answered (recommended shards, session starts left,
// max_concurrency), or why it did not.
class GatewayPanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayPanel)

public:
    explicit GatewayPanel(QWidget *parent = nullptr);

    void showInfo(const GatewayInfo &info);
    void showMessage(const QString &text);

signals:
    void fetchRequested();

private:
    QLabel *m_info;
};
