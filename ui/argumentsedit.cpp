#include "argumentsedit.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

ArgumentsEdit::ArgumentsEdit(QWidget *parent)
    : QLineEdit(parent)
{
}

QStringList ArgumentsEdit::arguments() const
{
    return split(text());
}

void ArgumentsEdit::setArguments(const QStringList &arguments)
{
    setText(join(arguments));
}

bool ArgumentsEdit::hasUnclosedQuote() const
{
    bool unclosed = false;
    split(text(), &unclosed);
    return unclosed;
}

QStringList ArgumentsEdit::split(const QString &line, bool *unclosedQuote)
{
    QStringList arguments;
    QString current;
    bool inArgument = false; // so that "" is an empty argument, not nothing
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            const QChar next = i + 1 < line.size() ? line.at(i + 1) : QChar();
            if (c == u'\\' && (next == u'"' || next == u'\\')) {
                current += next;
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c.isSpace()) {
            if (inArgument)
                arguments.append(std::exchange(current, QString()));
            inArgument = false;
        } else {
            inArgument = true;
            if (c == u'"')
                quoted = true;
            else
                current += c;
        }
    }
    if (inArgument)
        arguments.append(current);
    if (unclosedQuote)
        *unclosedQuote = quoted;
    return arguments;
}

QString ArgumentsEdit::join(const QStringList &arguments)
{
    QStringList parts;
    parts.reserve(arguments.size());
    for (const QString &argument : arguments) {
        const bool plain = !argument.isEmpty()
            && std::none_of(argument.begin(), argument.end(),
                            [](QChar c) { return c.isSpace() || c == u'"'; });
        if (plain) {
            parts.append(argument);
            continue;
        }
        // Inside quotes every backslash is escaped too, so one before a quote reads back as is.
        QString quoted = u"\""_s;
        for (const QChar c : argument) {
            if (c == u'"' || c == u'\\')
                quoted += u'\\';
            quoted += c;
        }
        quoted += u'"';
        parts.append(quoted);
    }
    return parts.join(u' ');
}
