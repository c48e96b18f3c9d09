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

void ConsoleEcho::write(int first, int last, bool isStderr, const QStringList &lines)
{
    const QString prefix = LinePrefix::of(first, last, isStderr);
    QByteArray out;
    for (const QString &line : lines)
        out += (prefix % (m_keepColours ? line : Ansi::strip(line)) % u'\n').toUtf8();
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fflush(stdout);
}
