#include "gatewaypanel.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

GatewayPanel::GatewayPanel(QWidget *parent)
    : QWidget(parent)
    , m_info(new QLabel(this))
{
    auto *fetch = new QPushButton(tr("Fetch from Discord"), this);
    fetch->setObjectName(u"fetchGateway"_s);
    fetch->setToolTip(
        tr("<p>Ask Discord's GET /gateway/bot (with the stored token) for the recommended "
           "shard count, the session starts left today and max_concurrency.</p>"));
    connect(fetch, &QPushButton::clicked, this, &GatewayPanel::fetchRequested);
    m_info->setObjectName(u"gatewayInfo"_s);
    m_info->setWordWrap(true);
    m_info->setTextFormat(Qt::PlainText);
    m_info->setText(tr("Not asked yet."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(fetch, 0, Qt::AlignLeft);
    layout->addWidget(m_info);
}

void GatewayPanel::showInfo(const GatewayInfo &info)
{
    m_info->setText(tr("%1.").arg(info.describe()));
}

void GatewayPanel::showMessage(const QString &text)
{
    m_info->setText(text);
}
