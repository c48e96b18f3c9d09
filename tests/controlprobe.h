#pragma once

// A control-socket client for the tests: connects to a service's socket, keeps every JSON line it
// reads (or reads nothing at all, to play a client that stalls), and sends commands.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>

#include <algorithm>

class ControlProbe {
public:
    explicit ControlProbe(const QString &path, bool reading = true)
    {
        if (reading)
            QObject::connect(&m_socket, &QLocalSocket::readyRead, &m_socket, [this] { read(); });
        else
            m_socket.setReadBufferSize(1); // takes (almost) nothing: the kernel buffer fills
        m_socket.connectToServer(path);
        m_connected = m_socket.waitForConnected(3000);
    }

    bool isConnected() const { return m_connected; }
    QLocalSocket &socket() { return m_socket; }

    void read()
    {
        while (m_socket.canReadLine())
            m_objects.append(QJsonDocument::fromJson(m_socket.readLine()).object());
    }
    // Starts reading (a client that stalled and comes back).
    void resume()
    {
        m_socket.setReadBufferSize(0);
        QObject::connect(&m_socket, &QLocalSocket::readyRead, &m_socket, [this] { read(); });
        read();
    }

    int send(QJsonObject command)
    {
        command.insert(QStringLiteral("id"), ++m_nextId);
        m_socket.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
        m_socket.flush();
        return m_nextId;
    }

    const QList<QJsonObject> &objects() const { return m_objects; }
    // Lines with this "type" (hello, snapshot, reply) or this "event".
    QList<QJsonObject> of(const QString &name) const
    {
        QList<QJsonObject> list;
        for (const QJsonObject &o : m_objects) {
            if (o.value(QStringLiteral("type")).toString() == name
                || o.value(QStringLiteral("event")).toString() == name)
                list.append(o);
        }
        return list;
    }
    // Whether a line of this type or event matches.
    template<typename Predicate> bool seen(const QString &name, Predicate matches) const
    {
        const QList<QJsonObject> list = of(name);
        return std::any_of(list.cbegin(), list.cend(), matches);
    }
    QJsonObject reply(int id) const
    {
        for (const QJsonObject &o : of(QStringLiteral("reply"))) {
            if (o.value(QStringLiteral("id")).toInt() == id)
                return o;
        }
        return {};
    }
    // The output lines of a process seen so far (events carry them in batches).
    QStringList outputLines(int process) const
    {
        QStringList lines;
        for (const QJsonObject &o : of(QStringLiteral("output"))) {
            if (o.value(QStringLiteral("process")).toInt() != process)
                continue;
            for (const QJsonValue &line : o.value(QStringLiteral("lines")).toArray())
                lines.append(line.toString());
        }
        return lines;
    }

private:
    QLocalSocket m_socket;
    bool m_connected = false;
    QList<QJsonObject> m_objects;
    int m_nextId = 0;
};
