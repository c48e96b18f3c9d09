#include "timestamppreview.h"

#include "output/osdate.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QTime>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

void setMuted(QLabel *label)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
    label->setPalette(palette);
}

} // namespace

TimestampPreview::TimestampPreview(QWidget *parent)
    : QWidget(parent)
{
    m_zone = new QLabel(this);
    m_zone->setObjectName(u"timestampZone"_s);
    setMuted(m_zone);

    m_time = new QLabel(this);
    m_time->setObjectName(u"timestampPreview"_s);
    m_time->setTextFormat(Qt::PlainText);
    m_time->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_time->setWordWrap(true); // a long format must not widen the form around it
    m_time->setToolTip(tr("The current time in this format, as log lines will show it"));
    setMuted(m_time);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_zone);
    layout->addWidget(m_time, 1);

    m_clock = new QTimer(this);
    m_clock->setSingleShot(true);
    connect(m_clock, &QTimer::timeout, this, [this] {
        refresh();
        scheduleTick();
    });
    refresh();
}

void TimestampPreview::setFormat(const QString &format)
{
    m_format = format;
    refresh();
}

void TimestampPreview::refresh()
{
    const OsDate date(m_format);
    m_zone->setText(date.isUtc() ? tr("Now, UTC:") : tr("Now, local:"));
    m_time->setText(date.format(QDateTime::currentDateTime()));
}

void TimestampPreview::scheduleTick()
{
    // Wake just after the next second begins, so the preview turns over when a clock would.
    m_clock->start(1000 - QTime::currentTime().msec() + 20);
}

void TimestampPreview::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    scheduleTick();
}

void TimestampPreview::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_clock->stop();
}
