#include "memoryalerts.h"

#include "engine/abstractengine.h"
#include "process/resourcemonitor.h"
#include "text/units.h"

MemoryAlerts::MemoryAlerts(AbstractEngine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    connect(engine, &AbstractEngine::processesRebuilt, this, [this] { m_levels.clear(); });
    connect(engine, &AbstractEngine::resourcesSampled, this, &MemoryAlerts::check);
    // A new run starts from nothing: its first crossing is told again.
    connect(engine, &AbstractEngine::processStarted, this, [this](int process, qint64) {
        if (process >= 0 && process < m_levels.size())
            m_levels[process] = 0;
    });
}

void MemoryAlerts::check()
{
    const int processes = m_engine->processCount();
    if (m_levels.size() != processes)
        m_levels = QList<int>(processes, 0);
    const Profile &profile = m_engine->profile();
    for (int i = 0; i < processes; ++i) {
        const ProcessView *p = m_engine->process(i);
        const ResourceHistory &r = m_engine->resources(i);
        if (!p || !p->isActive() || !r.hasSample)
            continue;
        const qint64 rss = r.last.rssBytes;
        const int level = rss >= profile.memoryLimit ? 2 : rss >= profile.memoryWarn ? 1 : 0;
        if (level > m_levels[i]) {
            const QString text = level == 2
                ? tr("process %1 uses %2, over its memory limit (%3)")
                      .arg(i)
                      .arg(Units::dataSize(rss), Units::dataSize(profile.memoryLimit))
                : tr("process %1 uses %2, over its memory warning (%3)")
                      .arg(i)
                      .arg(Units::dataSize(rss), Units::dataSize(profile.memoryWarn));
            emit crossed(i, level, text);
        }
        m_levels[i] = level;
    }
}
