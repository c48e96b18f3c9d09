# The operating system is reached only through app/platform/ (README "Code layout"): a file of
# the engine, the models or the window that includes a POSIX header or calls one of the calls a
# port would have to find fails this check. Run by CTest as `cmake -DSOURCE_DIR=... -P`.
set(pattern "#include <(unistd|signal|fcntl|poll|pwd|termios|dlfcn|spawn)\\.h>|#include <sys/|#include <csignal>|[^_a-zA-Z](isatty|gmtime_r|localtime_r|sigabbrev_np|STDIN_FILENO|STDOUT_FILENO|STDERR_FILENO)[^_a-zA-Z]")
file(GLOB_RECURSE sources
    "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
    "${SOURCE_DIR}/models/*.cpp" "${SOURCE_DIR}/models/*.h"
    "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h")
set(offenders "")
foreach(source IN LISTS sources)
    if(source MATCHES "/app/platform/")
        continue()
    endif()
    file(STRINGS "${source}" hits REGEX "${pattern}")
    if(hits)
        list(APPEND offenders "${source}: ${hits}")
    endif()
endforeach()
if(offenders)
    list(JOIN offenders "\n" text)
    message(FATAL_ERROR "OS calls outside app/platform/:\n${text}")
endif()
