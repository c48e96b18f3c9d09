#pragma once

#include <QStyledItemDelegate>

// Paints a cell's recent history (ProcessTableModel::HistoryRole) as a small filled line behind
// its text: memory against memoryLimit in the level's colour, CPU against one core.
class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SparklineDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
