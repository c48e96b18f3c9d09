#include "appicon.h"

#include <QPainter>
#include <QPixmap>

using namespace Qt::StringLiterals;

QIcon AppIcon::application()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/hicolor/%1x%1/apps/shard-manager.png"_s.arg(size),
                     QSize(size, size));
    return icon;
}

QIcon AppIcon::withStatus(Status status)
{
    const QColor dot = status == Running ? QColor(0x2e, 0x9d, 0x4f)
        : status == Trouble              ? QColor(0xd0, 0x2b, 0x2b)
                                         : QColor(0x8a, 0x8a, 0x8a);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64}) {
        QPixmap pixmap = application().pixmap(size, size);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal d = size * 0.45;
        painter.setPen(QPen(Qt::white, std::max(1.0, size / 16.0)));
        painter.setBrush(dot);
        painter.drawEllipse(QRectF(size - d - 0.5, size - d - 0.5, d, d));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
