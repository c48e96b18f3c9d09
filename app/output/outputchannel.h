#pragma once

#include "output/outputbatch.h"

#include <QByteArray>

class Redactor;

// One output channel (stdout or stderr) of a child: bytes in, whole lines out, redacted. Lines of
// printable ASCII (nearly all a bot prints) stay bytes: only those with escapes, controls or other
// characters are decoded, redacted as text and encoded again (invalid UTF-8 becomes U+FFFD).
// A line cut short (silence, or a runaway line) goes out without the part that may go on in the
// next write: an unfinished escape sequence, or the first characters of a secret
// (Redactor::holdFrom). That part leads the channel's next line, so nothing is lost or reordered.
class OutputChannel {
public:
    explicit OutputChannel(const Redactor *redactor)
        : m_redactor(redactor)
    {
    }

    // The lines data completes.
    OutputBatch feed(QByteArray data);
    // The unfinished line after silence, less what it must hold back.
    OutputBatch takePartial();
    // Everything left (the process has ended).
    OutputBatch takeAll();

    // Bytes read without their newline yet (a held-back part alone waits for the next write).
    bool hasTail() const { return !m_tail.isEmpty(); }
    qsizetype tailSize() const { return m_tail.size(); }

private:
    void appendText(OutputBatch &batch, const QString &line) const;
    QString takeTail();

    const Redactor *m_redactor;
    QByteArray m_tail; // read, no newline yet
    QString m_held; // held back from the last partial line: leads the next line
};
