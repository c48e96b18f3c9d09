#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdio>
#include <cstdlib>

// A property that fails aborts, so libFuzzer keeps the input as a crash artifact. Messages name
// the property, never echo the input (a redactor target's input holds a token).
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition);  \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

// Bytes as the text of a line, three ways picked by `mode`: UTF-8 as child output is decoded,
// Latin-1 so every byte is a code point (the 8-bit C1 controls come easily), and raw UTF-16 for
// what neither gives (lone surrogates, U+2028).
inline QString fuzzText(QByteArrayView bytes, unsigned mode)
{
    switch (mode % 3) {
    case 0: return QString::fromUtf8(bytes);
    case 1: return QString::fromLatin1(bytes);
    default: return QString(reinterpret_cast<const QChar *>(bytes.data()), bytes.size() / 2);
    }
}
