#pragma once

// A local stand-in for Discord's HTTP API (GET /gateway/bot) on 127.0.0.1, port 0: answers
// with the status and body a test sets, or not at all ("slow"), and records what it was asked.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

class FakeDiscord : public QObject {
public:
    int status = 200;
    QByteArray body;
    QByteArray extraHeaders;
    bool silent = false; // accept and read, never answer (a timeout)
    QList<QByteArray> requests;

    FakeDiscord()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_buffer += socket->readAll();
                    if (!m_buffer.contains("\r\n\r\n"))
                        return; // GET has no body: the header block is the request
                    requests << m_buffer;
                    m_buffer.clear();
                    if (silent)
                        return;
                    socket->write("HTTP/1.1 " + QByteArray::number(status)
                                  + " X\r\nContent-Type: application/json\r\n" + extraHeaders
                                  + "Content-Length: " + QByteArray::number(body.size())
                                  + "\r\nConnection: close\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
            }
        });
    }

    QString api() const
    {
        return QStringLiteral("http://127.0.0.1:%1/api/v10").arg(m_server.serverPort());
    }

    static QByteArray gatewayBody(int shards, int remaining, int total = 1000, int concurrency = 1)
    {
        return "{\"url\":\"wss://gateway.discord.gg\",\"shards\":" + QByteArray::number(shards)
            + ",\"session_start_limit\":{\"total\":" + QByteArray::number(total) + ",\"remaining\":"
            + QByteArray::number(remaining) + ",\"reset_after\":3600000,\"max_concurrency\":"
            + QByteArray::number(concurrency) + "}}";
    }

private:
    QTcpServer m_server;
    QByteArray m_buffer;
};
