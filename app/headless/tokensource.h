#pragma once

#include <QString>

// Where `--headless` takes the bot token from on a server without a keychain: an environment
// variable (--token-from-env) or a file (--token-file, which systemd's LoadCredential= provides).
namespace TokenSource {

struct Result {
    QString token; // trimmed; empty when error is set
    QString error; // why there is no token, naming the option and its variable or file
    QString warning; // there is a token, but the operator should hear about how it was kept
    QString origin; // where it came from, for the diagnostics (never the token)
};

// Takes the variable out of the manager's environment (Environment::take): the children get the
// token only under the profile's tokenEnv.
Result fromEnvironment(const QString &variable);

// A relative file is looked up in $CREDENTIALS_DIRECTORY first (systemd's LoadCredential=), then
// from the working directory. A file that its group or others may read is used, with a warning.
Result fromFile(const QString &file);

} // namespace TokenSource
