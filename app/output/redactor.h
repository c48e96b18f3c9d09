#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Keeps secrets (the bot token) out of everything the manager shows, logs, echoes or emits:
// each is replaced by "[token]". Redaction looks at what every sink finally shows, not only at
// the bytes: the text with escape sequences removed (log file, plain echo) and the text a pane
// renders (after its last visible '\r'). A secret that only appears there (the child put a
// colour code inside it) makes the whole line plain text, redacted.
class Redactor {
public:
    void setSecrets(const QStringList &secrets); // empty ones are ignored
    bool isEmpty() const { return m_secrets.isEmpty(); }
    // The secrets as UTF-8: for lines kept as bytes (OutputChannel), which hold only printable
    // ASCII and so show exactly their bytes.
    const QList<QByteArray> &secretBytes() const { return m_secretBytes; }

    QString redact(QString line) const;

    // For a line cut short (its newline has not come within the partial-line delay): the index
    // from which it must wait for the process's next write instead of going out now. That is an
    // escape sequence its end cuts short, or an end that could be the first characters of a
    // secret (the rest may follow in the next write, however late). line.size() when all may go.
    qsizetype holdFrom(QStringView line) const;

    static QString placeholder();

private:
    bool showsSecret(QStringView text) const;
    QString replaceAll(QString text) const;

    QStringList m_secrets;
    QList<QByteArray> m_secretBytes;
};
