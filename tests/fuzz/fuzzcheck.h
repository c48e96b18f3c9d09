#pragma once

#include <cstdio>
#include <cstdlib>

// A property that fails aborts, so libFuzzer keeps the input as a crash artifact. Messages name
// the property, never echo the input (a redactor target's input holds a token).
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
