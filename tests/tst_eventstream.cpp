// `--events json`'s writer: the events of one event-loop turn leave in one write, in order, and
// nothing waits past flush() (issue 13: a write per event was most of the cost of 100 children
// talking at once).

#include "engine/shardengine.h"
#include "headless/eventstream.h"
#include "service/engineevents.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Stdout as the stream sees it, counting the writes it is handed.
class CountingDevice : public QIODevice {
public:
    CountingDevice() { open(QIODevice::WriteOnly | QIODevice::Unbuffered); }
    int writes = 0;
    QByteArray data;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *bytes, qint64 size) override
    {
        ++writes;
        data.append(bytes, size);
        return size;
    }
};

QJsonObject notice(int n)
{
    return {{u"event"_s, u"notice"_s}, {u"message"_s, u"notice %1"_s.arg(n)}};
}

} // namespace

class TestEventStream : public QObject {
    Q_OBJECT

private slots:
    void eventsOfOneTurnLeaveInOneWrite();
    void flushWritesWhatWaits();
    void aBurstDoesNotPileUp();
};

void TestEventStream::eventsOfOneTurnLeaveInOneWrite()
{
    ShardEngine engine;
    EngineEvents events(&engine);
    CountingDevice out;
    EventStream stream(&events, &out);
    for (int i = 0; i < 100; ++i) {
        emit events.event(notice(i));
        emit events.output(-1, false, OutputBatch::fromLines({u"line %1"_s.arg(i)}));
    }
    QCOMPARE(out.writes, 0); // not within the turn
    QTRY_COMPARE(out.writes, 1);
    const QList<QByteArray> lines = out.data.split('\n');
    QCOMPARE(lines.size(), 201); // and the empty rest after the last newline
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(QJsonDocument::fromJson(lines.at(2 * i)).object().value(u"message"_s).toString(),
                 u"notice %1"_s.arg(i));
        QCOMPARE(QJsonDocument::fromJson(lines.at(2 * i + 1)).object().value(u"line"_s).toString(),
                 u"line %1"_s.arg(i));
    }
}

void TestEventStream::flushWritesWhatWaits()
{
    ShardEngine engine;
    EngineEvents events(&engine);
    CountingDevice out;
    EventStream stream(&events, &out);
    emit events.event(notice(1));
    stream.flush(); // as the runner does before it goes, with no turn left
    QCOMPARE(out.writes, 1);
    QVERIFY(out.data.contains("notice 1"));
    stream.flush();
    QCOMPARE(out.writes, 1); // nothing twice
}

void TestEventStream::aBurstDoesNotPileUp()
{
    ShardEngine engine;
    EngineEvents events(&engine);
    CountingDevice out;
    EventStream stream(&events, &out);
    const QString big(1000, u'x');
    for (int i = 0; i < 2000; ++i) // about 2 MB in one turn
        emit events.event({{u"event"_s, u"notice"_s}, {u"message"_s, big}});
    // Out in pieces already, a few hundred KiB each, not all of it held to the end of the turn.
    QVERIFY2(out.writes >= 4, qPrintable(QString::number(out.writes)));
    QVERIFY(out.data.size() > 1'500'000);
}

QTEST_GUILESS_MAIN(TestEventStream)
#include "tst_eventstream.moc"
