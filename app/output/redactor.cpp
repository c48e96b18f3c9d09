#include "output/redactor.h"

#include "output/ansi.h"

#include <QList>

#include <algorithm>

using namespace Qt::StringLiterals;

void Redactor::setSecrets(const QStringList &secrets)
{
    m_secrets.clear();
    m_secretBytes.clear();
    for (const QString &s : secrets) {
        if (!s.isEmpty()) {
            m_secrets.append(s);
            m_secretBytes.append(s.toUtf8());
        }
    }
}

QString Redactor::placeholder()
{
    return u"[token]"_s;
}

bool Redactor::showsSecret(QStringView text) const
{
    for (const QString &s : m_secrets) {
        if (text.contains(s))
            return true;
    }
    return false;
}

QString Redactor::replaceAll(QString text) const
{
    for (const QString &s : m_secrets)
        text.replace(s, placeholder());
    return text;
}

QString Redactor::redact(QString line) const
{
    if (m_secrets.isEmpty())
        return line;
    line = replaceAll(std::move(line));
    if (!Ansi::contains(line))
        return line; // no escapes, no controls: what is shown is these characters
    // Escape sequences inside a secret: its colours cannot be kept without keeping it, so the
    // line goes on as the plain text that showed it, redacted.
    const QString plain = Ansi::strip(line);
    if (showsSecret(plain))
        return replaceAll(plain);
    const QString visible = Ansi::visibleText(line);
    if (showsSecret(visible))
        return replaceAll(visible);
    return line;
}

qsizetype Redactor::holdFrom(QStringView line) const
{
    qsizetype hold = Ansi::unfinishedSequence(line);
    if (m_secrets.isEmpty())
        return hold;
    // The plain text before the hold, with the index in line of each of its characters: a
    // secret's first characters may have escape sequences between them.
    // Only the end matters; a long line is looked at from a little before it.
    qsizetype longest = 0;
    for (const QString &secret : m_secrets)
        longest = std::max(longest, secret.size());
    const qsizetype from = std::max<qsizetype>(0, hold - 8 * longest - 256);
    QString plain;
    QList<qsizetype> at;
    Ansi::Scanner scanner(line.sliced(from, hold - from));
    Ansi::Token t;
    while (scanner.next(&t)) {
        if (t.kind != Ansi::Token::Text)
            continue;
        plain.append(line.sliced(from + t.from, t.length));
        for (qsizetype k = 0; k < t.length; ++k)
            at.append(from + t.from + k);
    }
    // A whole secret already in the text goes out with it (redacted): a prefix match may not
    // begin inside one, or the cut would leave each half unredacted.
    qsizetype whole = 0;
    for (const QString &secret : m_secrets) {
        const qsizetype last = plain.lastIndexOf(secret);
        if (last >= 0)
            whole = std::max(whole, last + secret.size());
    }
    for (const QString &secret : m_secrets) {
        for (qsizetype k = std::min(secret.size() - 1, plain.size() - whole); k > 0; --k) {
            if (QStringView(plain).endsWith(QStringView(secret).first(k))) {
                hold = std::min(hold, at.at(plain.size() - k));
                break;
            }
        }
    }
    return hold;
}
