#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

// The program's command line, defined once: both front ends read it, --help prints it, and the
// manual page (installer/shard-manager.1) documents the same options (tst_commandline compares).
namespace CommandLine {

// Every option and the PROFILE argument, with the text --help shows.
void describe(QCommandLineParser &parser);

struct WindowRequest {
    QString profile; // empty: the last profile
    bool start = false;
    QString attach; // --attach ssh://…
    QString attachCommand; // --attach-command "…"
};

// What the window is to do, when these arguments (argv, program name first) open it: they parse,
// and every option given is one the window takes. Anything else (--headless, --check, --help,
// --version, a headless-only option, an unknown one) is answered without a display: nullopt.
std::optional<WindowRequest> windowRequest(const QStringList &arguments);

// The arguments without Qt's own GUI options (-platform NAME, -style=NAME, -reverse, ...), which
// QApplication takes from argv when the window opens.
QStringList withoutQtOptions(const QStringList &arguments);

// The options the window takes (--start); the others are for --headless or --check.
bool isWindowOption(const QString &name);

} // namespace CommandLine
