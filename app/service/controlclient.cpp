#include "service/controlclient.h"

#include "diagnostics.h"
#include "service/eventcodec.h"
#include "text/units.h"

#include <QJsonDocument>
#include <QLocalSocket>

using namespace Qt::StringLiterals;

ControlClient::Budget ControlClient::budgetFromEnvironment()
{
    Budget budget;
    bool ok = false;
    const qint64 bytes = qEnvironmentVariable("SHARD_MANAGER_CONTROL_BUDGET").toLongLong(&ok);
    if (ok && bytes > 0) {
        budget.thinAboveBytes = bytes;
        budget.dropAboveBytes = bytes * 16;
    }
    const int stall = qEnvironmentVariableIntValue("SHARD_MANAGER_CONTROL_STALL_MS", &ok);
    if (ok && stall > 0)
        budget.stallMs = stall;
    return budget;
}

ControlClient::ControlClient(QLocalSocket *socket, int id, const Budget &budget, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_id(id)
    , m_budget(budget)
{
    socket->setParent(this);
    m_sinceProgress.start();
    connect(socket, &QLocalSocket::bytesWritten, this, [this] {
        m_sinceProgress.restart();
        // Caught up: say what this client missed before it reads anything newer.
        if (m_skipped > 0 && queued() <= m_budget.thinAboveBytes / 2) {
            const qint64 skipped = std::exchange(m_skipped, 0);
            send(EventCodec::line({{u"event"_s, u"skipped"_s},
                                   {u"time"_s, EventCodec::now()},
                                   {u"lines"_s, skipped}}));
        }
    });
    connect(socket, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
    connect(socket, &QLocalSocket::disconnected, this, [this] {
        if (!m_finished) {
            m_finished = true;
            emit finished(QString());
        }
    });
}

ControlClient::~ControlClient() = default;

qint64 ControlClient::queued() const
{
    return m_socket->bytesToWrite();
}

void ControlClient::send(const QByteArray &line)
{
    if (m_finished)
        return;
    if (queued() + line.size() > m_budget.dropAboveBytes) {
        drop(tr("its queue passed %1").arg(Units::dataSize(m_budget.dropAboveBytes)));
        return;
    }
    m_socket->write(line);
}

void ControlClient::sendOutput(const QByteArray &line, int lines)
{
    if (m_finished)
        return;
    if (m_skipped > 0 || queued() > m_budget.thinAboveBytes) {
        if (m_skipped == 0)
            qCDebug(lcControl) << "client" << m_id << "is behind: skipping its output lines";
        m_skipped += lines;
        return;
    }
    m_socket->write(line);
}

void ControlClient::checkStall()
{
    if (m_finished || queued() <= m_budget.thinAboveBytes)
        return;
    if (m_sinceProgress.elapsed() >= m_budget.stallMs)
        drop(tr("it read nothing for %1 with %2 queued")
                 .arg(Units::duration(m_sinceProgress.elapsed()), Units::dataSize(queued())));
}

void ControlClient::onReadyRead()
{
    while (!m_finished && m_socket->canReadLine()) {
        const QByteArray line = m_socket->readLine(m_budget.maxCommandBytes + 1);
        if (line.size() > m_budget.maxCommandBytes) {
            drop(
                tr("it sent a line longer than %1").arg(Units::dataSize(m_budget.maxCommandBytes)));
            return;
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (!document.isObject()) {
            send(EventCodec::line(
                {{u"type"_s, u"reply"_s},
                 {u"ok"_s, false},
                 {u"error"_s, tr("not a JSON object: %1").arg(error.errorString())}}));
            continue;
        }
        emit commandReceived(document.object());
    }
    if (!m_finished && m_socket->bytesAvailable() > m_budget.maxCommandBytes)
        drop(tr("it sent a line longer than %1").arg(Units::dataSize(m_budget.maxCommandBytes)));
}

void ControlClient::drop(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    qCWarning(lcControl).noquote() << "dropping control client" << m_id << ":" << reason;
    m_socket->abort();
    emit finished(reason);
}
