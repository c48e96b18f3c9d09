#include "ipc/ipcframer.h"

IpcFramer::Result IpcFramer::feed(QByteArrayView data)
{
    Result result;
    if (data.contains('\n'))
        m_lineFramed = true;
    const QByteArrayList lines = m_splitter.feed(data.toByteArray());
    for (const QByteArray &line : lines) {
        if (line.size() > m_maxMessageBytes) {
            result.oversized = line.size();
            return result;
        }
        result.messages.append(line);
    }
    // A tail's last '\r' may be the one a coming '\n' drops: it does not count yet. (An empty
    // read leaves the tail as the last check found it.)
    const qsizetype tail = m_splitter.tailSize() - (data.endsWith('\r') ? 1 : 0);
    if (!data.isEmpty() && tail > m_maxMessageBytes)
        result.oversized = m_splitter.tailSize();
    return result;
}

QByteArrayList IpcFramer::takeIdleTail()
{
    if (m_lineFramed)
        return {};
    return m_splitter.flush();
}
