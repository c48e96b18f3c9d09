#pragma once

// A translator that marks every text it is asked for, so a test can tell a string that went
// through tr() (marked) from one written without it (unmarked).

#include <QString>
#include <QTranslator>

inline const QString kMark = QStringLiteral("⟦");

// Every source text comes back marked; %n is still replaced by QCoreApplication::translate.
class MarkingTranslator : public QTranslator {
public:
    QString translate(const char *, const char *sourceText, const char *, int) const override
    {
        return kMark + QString::fromUtf8(sourceText);
    }
    bool isEmpty() const override { return false; }
};

inline bool marked(const QString &text)
{
    return text.startsWith(kMark);
}
