#pragma once

#include <QString>

// Quantities as people read them, written once so the table, the tray, the headless status
// lines and the engine's notices say a size or a duration the same way.
namespace Units {

// The two largest units of a duration: "45 s", "3 min 5 s", "2 h 10 min", "3 d 4 h".
QString duration(qint64 ms);

// A size in bytes, decimal units in the locale's format (QLocale::formattedDataSize): "480 MB",
// "1.90 GB". Whole megabytes below a gigabyte, hundredths above.
QString dataSize(qint64 bytes);

} // namespace Units
