#pragma once

#include "output/linesplitter.h"

#include <QString>
#include <QStringList>

class Redactor;

// One output channel (stdout or stderr) of a child: bytes in, whole lines out, decoded and
// redacted. A line cut short (silence, or a runaway line) goes out without the part that may
// go on in the next write: an unfinished escape sequence, or the first characters of a secret
// (Redactor::holdFrom). That part leads the channel's next line, so nothing is lost or reordered.
class OutputChannel {
public:
    explicit OutputChannel(const Redactor *redactor)
        : m_redactor(redactor)
    {
    }

    // The lines data completes.
    QStringList feed(const QByteArray &data);
    // The unfinished line after silence, less what it must hold back.
    QStringList takePartial();
    // Everything left (the process has ended).
    QStringList takeAll();

    // Bytes read without their newline yet (a held-back part alone waits for the next write).
    bool hasTail() const { return m_splitter.hasTail(); }
    qsizetype tailSize() const { return m_splitter.tailSize(); }

private:
    QString takeTail();

    const Redactor *m_redactor;
    LineSplitter m_splitter;
    QString m_held;
};
