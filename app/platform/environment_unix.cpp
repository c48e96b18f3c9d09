#include "platform/environment.h"

#include <QFile>
#include <QList>

#include <cstring>
#include <unistd.h>

extern char **environ;

namespace {

// Plain memset on memory nobody reads afterwards is a store a compiler may drop.
void wipe(char *data, size_t size)
{
    volatile char *p = data;
    for (size_t i = 0; i < size; ++i)
        p[i] = '\0';
}

bool isEntryOf(const char *entry, const char *name, size_t nameLength)
{
    return std::strncmp(entry, name, nameLength) == 0 && entry[nameLength] == '=';
}

#ifdef Q_OS_LINUX
// The block /proc/self/environ shows: fields 50 and 51 of /proc/self/stat (Linux 3.5+). It also
// holds an original entry that a setenv() of the same name replaced in `environ`.
void wipeStartupBlock(const char *name, size_t nameLength)
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')'); // the command name may contain anything
    if (close < 0)
        return;
    // After ") " come fields 3, 4, ...: env_start and env_end are the 48th and 49th of those.
    const QList<QByteArray> fields = text.mid(close + 2).trimmed().split(' ');
    if (fields.size() < 49)
        return;
    const quintptr start = fields.at(47).toULongLong();
    const quintptr end = fields.at(48).toULongLong();
    if (start == 0 || end <= start || end - start > 64 * 1024 * 1024)
        return;
    char *entry = reinterpret_cast<char *>(start);
    char *const last = reinterpret_cast<char *>(end);
    while (entry < last) {
        const size_t length = strnlen(entry, size_t(last - entry));
        if (isEntryOf(entry, name, nameLength))
            wipe(entry + nameLength + 1, length - nameLength - 1);
        entry += length + 1;
    }
}
#endif

} // namespace

QByteArray Environment::take(const char *name)
{
    const size_t nameLength = std::strlen(name);
    const QByteArray value = qgetenv(name);
    // Every entry of that name (an environment may repeat one), before unsetenv drops them.
    QList<char *> entries;
    for (char **e = environ; e && *e; ++e) {
        if (isEntryOf(*e, name, nameLength))
            entries.append(*e);
    }
    qunsetenv(name);
    for (char *entry : std::as_const(entries))
        wipe(entry + nameLength + 1, std::strlen(entry + nameLength + 1));
#ifdef Q_OS_LINUX
    wipeStartupBlock(name, nameLength);
#endif
    return value;
}
