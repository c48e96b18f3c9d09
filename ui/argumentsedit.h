#pragma once

#include <QLineEdit>
#include <QStringList>

// A line edit for an argument list, written as a shell would: arguments are separated by spaces;
// double quotes group one that holds spaces or quotes, and inside them \" and \\ stand for " and
// \. A backslash anywhere else is literal, so Windows paths need no escaping.
class ArgumentsEdit : public QLineEdit {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArgumentsEdit)

public:
    explicit ArgumentsEdit(QWidget *parent = nullptr);

    QStringList arguments() const;
    void setArguments(const QStringList &arguments);
    // True while a double quote is left open: the text does not yet say what was meant.
    bool hasUnclosedQuote() const;

    // join() writes exactly what split() reads back: split(join(list)) == list for any list.
    static QStringList split(const QString &line, bool *unclosedQuote = nullptr);
    static QString join(const QStringList &arguments);
};
