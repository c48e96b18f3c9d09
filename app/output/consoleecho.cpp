#include "output/consoleecho.h"

#include "diagnostics.h"

#include "output/ansi.h"
#include "output/lineprefix.h"
#include "platform/standardstreams.h"

#include <QStringList>

#include <cstdio>

using namespace Qt::StringLiterals;

ConsoleEcho::ConsoleEcho()
    : m_keepColours(StandardStreams::outputIsTerminal())
{
    qCDebug(lcOutput) << "echo to stdout,"
                      << (m_keepColours ? "a terminal: colours kept"
                                        : "not a terminal: plain text");
}

void ConsoleEcho::write(int first, int last, bool isStderr, const OutputBatch &batch)
{
    const QByteArray prefix = LinePrefix::of(first, last, isStderr).toUtf8();
    QByteArray out;
    out.reserve(batch.count * prefix.size() + batch.text.size());
    batch.forEachLine([&](QByteArrayView line) {
        out += prefix;
        if (batch.plain || m_keepColours || OutputText::isPlain(line))
            out += line;
        else
            out += Ansi::strip(QString::fromUtf8(line)).toUtf8();
        out += '\n';
    });
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fflush(stdout);
}
