#include "sparklinedelegate.h"

#include "processtablemodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    // Background and selection first, as for any cell; the text comes last, over the line.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QList<qreal> values = index.data(ProcessTableModel::HistoryRole).value<QList<qreal>>();
    if (values.size() >= 2) {
        const qreal top = std::max(index.data(ProcessTableModel::ScaleRole).toReal(),
                                   *std::max_element(values.cbegin(), values.cend()));
        const QRectF area = QRectF(option.rect).adjusted(2, 3, -2, -3);
        if (top > 0 && area.width() > 4 && area.height() > 4) {
            // The newest point at the right edge. The first minute grows from the right; after
            // that the whole history (up to 5 minutes) spans the cell.
            const qreal step = area.width() / qreal(std::max<qsizetype>(values.size() - 1, 59));
            const qreal x0 = area.right() - step * qreal(values.size() - 1);
            QPainterPath line;
            for (qsizetype i = 0; i < values.size(); ++i) {
                const QPointF point(x0 + step * qreal(i),
                                    area.bottom() - area.height() * values.at(i) / top);
                if (i == 0)
                    line.moveTo(point);
                else
                    line.lineTo(point);
            }
            QPainterPath fill = line;
            fill.lineTo(area.right(), area.bottom());
            fill.lineTo(x0, area.bottom());
            fill.closeSubpath();
            const QColor color
                = ProcessTableModel::levelColor(index.data(ProcessTableModel::LevelRole).toInt());
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing);
            QColor area_ = color;
            area_.setAlpha(60);
            painter->fillPath(fill, area_);
            painter->setPen(QPen(color, 1.2));
            painter->drawPath(line);
            painter->restore();
        }
    }

    if (!text.isEmpty()) {
        painter->save();
        const QVariant foreground = index.data(Qt::ForegroundRole);
        painter->setPen(opt.state & QStyle::State_Selected
                            ? opt.palette.color(QPalette::HighlightedText)
                            : (foreground.isValid() ? foreground.value<QColor>()
                                                    : opt.palette.color(QPalette::Text)));
        QFont font = opt.font;
        if (index.data(ProcessTableModel::LevelRole).toInt() > 0)
            font.setBold(true);
        painter->setFont(font);
        painter->drawText(QRectF(option.rect).adjusted(4, 0, -4, 0),
                          Qt::AlignRight | Qt::AlignVCenter, text);
        painter->restore();
    }
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(
        std::max(size.width(), option.fontMetrics.horizontalAdvance(QLatin1Char('M')) * 10));
    return size;
}
