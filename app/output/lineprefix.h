#pragma once

#include <QString>

// What leads each child line in the log file and the console echo, as the original seed wrote
// it: "Shards <first> to <last> | " and "stderr | " for the error channel. Tools that read those
// files match on it, so both sinks take it from here.
namespace LinePrefix {

QString of(int first, int last, bool isStderr);

} // namespace LinePrefix
