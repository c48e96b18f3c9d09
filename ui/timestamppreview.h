#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QTimer;

// The current time in an os.date format, as log lines will show it; ticks each second while shown.
class TimestampPreview : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimestampPreview)

public:
    explicit TimestampPreview(QWidget *parent = nullptr);

    void setFormat(const QString &format);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void refresh();
    void scheduleTick();

    QString m_format;
    QLabel *m_zone = nullptr;
    QLabel *m_time = nullptr;
    QTimer *m_clock = nullptr;
};
