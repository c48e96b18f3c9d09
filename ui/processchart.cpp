#include "processchart.h"

#include "engine/abstractengine.h"
#include "process/resourcemonitor.h"
#include "processtablemodel.h"
#include "text/units.h"

#include <QDateTime>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// The session at 10 s resolution, then the last minutes at 1 s: one time-ordered series.
QList<ResourcePoint> series(const ResourceHistory &h)
{
    QList<ResourcePoint> points;
    const qint64 recentStart
        = h.recent.empty() ? std::numeric_limits<qint64>::max() : h.recent.front().timeMs;
    for (const ResourcePoint &p : h.session) {
        if (p.timeMs < recentStart)
            points.append(p);
    }
    for (const ResourcePoint &p : h.recent)
        points.append(p);
    return points;
}

QString axisTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"HH:mm"_s);
}

} // namespace

ProcessChart::ProcessChart(AbstractEngine *engine, Metric metric, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_metric(metric)
{
    setObjectName(metric == Metric::Memory ? u"memoryChart"_s : u"cpuChart"_s);
    connect(engine, &AbstractEngine::resourcesSampled, this, qOverload<>(&QWidget::update));
}

void ProcessChart::setProcess(int process)
{
    m_process = process;
    update();
}

QSize ProcessChart::sizeHint() const
{
    return {fontMetrics().horizontalAdvance(u'M') * 40, fontMetrics().height() * 9};
}

QSize ProcessChart::minimumSizeHint() const
{
    return {fontMetrics().horizontalAdvance(u'M') * 16, fontMetrics().height() * 5};
}

void ProcessChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const QRectF plot = QRectF(rect()).adjusted(fm.horizontalAdvance(u"0000 MB"_s) + 6,
                                                fm.height() + 4, -8, -(fm.height() + 6));
    painter.fillRect(plot, palette().base());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(plot);
    const bool memory = m_metric == Metric::Memory;
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(0, 0, width(), fm.height() + 2), Qt::AlignLeft | Qt::AlignVCenter,
                     memory ? tr("Memory (resident, process tree)") : tr("CPU (100% = one core)"));

    const ResourceHistory &h = m_engine->resources(m_process);
    const QList<ResourcePoint> points = series(h);
    if (m_process < 0 || points.size() < 2) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter,
                         m_process < 0 ? tr("Select a process") : tr("Collecting samples…"));
        return;
    }

    const Profile &profile = m_engine->profile();
    auto value = [memory](const ResourcePoint &p) {
        return memory ? qreal(p.rssBytes) : qreal(p.cpuPercent);
    };
    qreal top = memory ? qreal(profile.memoryLimit) * 1.05 : 100.0;
    for (const ResourcePoint &p : points)
        top = std::max(top, value(p) * 1.05);
    const qint64 t0 = points.first().timeMs;
    const qint64 t1 = std::max(points.last().timeMs, t0 + 1);
    auto x = [&](qint64 t) { return plot.left() + plot.width() * qreal(t - t0) / qreal(t1 - t0); };
    auto y = [&](qreal v) { return plot.bottom() - plot.height() * v / top; };
    auto label
        = [&](qreal v) { return memory ? Units::dataSize(qint64(v)) : u"%1%"_s.arg(v, 0, 'f', 0); };

    // Levels: memoryWarn and memoryLimit (memory), or one core (CPU).
    QList<std::pair<qreal, QColor>> levels;
    if (memory) {
        levels = {{qreal(profile.memoryWarn), ProcessTableModel::levelColor(1)},
                  {qreal(profile.memoryLimit), ProcessTableModel::levelColor(2)}};
    } else {
        levels = {{100.0, palette().color(QPalette::Mid)}};
    }
    for (const auto &[level, color] : levels) {
        painter.setPen(QPen(color, 1, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), y(level)), QPointF(plot.right(), y(level)));
        painter.drawText(QRectF(0, y(level) - fm.height() / 2.0, plot.left() - 4, fm.height()),
                         Qt::AlignRight | Qt::AlignVCenter, label(level));
    }

    // (Re)starts on the time axis.
    painter.setPen(QPen(restartMarkColor(), 1.5, Qt::DashLine));
    for (qint64 start : h.starts) {
        if (start > t0 && start <= t1)
            painter.drawLine(QPointF(x(start), plot.top()), QPointF(x(start), plot.bottom()));
    }

    QPainterPath line;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF p(x(points.at(i).timeMs), y(value(points.at(i))));
        if (i == 0)
            line.moveTo(p);
        else
            line.lineTo(p);
    }
    const int level = !memory                   ? 0
        : h.last.rssBytes > profile.memoryLimit ? 2
        : h.last.rssBytes > profile.memoryWarn  ? 1
                                                : 0;
    QColor color = ProcessTableModel::levelColor(level);
    QPainterPath fill = line;
    fill.lineTo(plot.right(), plot.bottom());
    fill.lineTo(plot.left(), plot.bottom());
    fill.closeSubpath();
    QColor faint = color;
    faint.setAlpha(50);
    painter.fillPath(fill, faint);
    painter.setPen(QPen(color, 1.5));
    painter.drawPath(line);

    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height() + 2),
                     Qt::AlignLeft | Qt::AlignTop, axisTime(t0));
    painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height() + 2),
                     Qt::AlignRight | Qt::AlignTop,
                     tr("%1  now: %2").arg(axisTime(t1), label(value(points.last()))));
}

ProcessDetails::ProcessDetails(AbstractEngine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_title(new QLabel(this))
    , m_memory(new ProcessChart(engine, ProcessChart::Metric::Memory, this))
    , m_cpu(new ProcessChart(engine, ProcessChart::Metric::Cpu, this))
{
    setObjectName(u"processDetails"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_title);
    layout->addWidget(m_memory, 1);
    layout->addWidget(m_cpu, 1);
    connect(engine, &AbstractEngine::processesRebuilt, this, [this] { setProcess(-1); });
    connect(engine, &AbstractEngine::resourcesSampled, this, &ProcessDetails::updateTitle);
    setProcess(-1);
}

void ProcessDetails::setProcess(int process)
{
    m_process = m_engine->process(process) ? process : -1;
    m_memory->setProcess(m_process);
    m_cpu->setProcess(m_process);
    updateTitle();
}

void ProcessDetails::updateTitle()
{
    const ProcessView *p = m_engine->process(m_process);
    if (!p) {
        m_title->setText(tr("No process selected"));
        return;
    }
    const ResourceHistory &h = m_engine->resources(m_process);
    m_title->setText(tr("Process %1 (shards %2–%3): %4 restarts, %5 threads")
                         .arg(m_process)
                         .arg(p->range().first)
                         .arg(p->range().last)
                         .arg(p->restarts())
                         .arg(h.hasSample ? h.last.threads : 0));
}
