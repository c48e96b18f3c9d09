#pragma once

#include <ctime>

// A moment split into calendar fields for strftime, in UTC or local time: the thread-safe
// variants differ per system (gmtime_r / localtime_r on Unix, gmtime_s / localtime_s on Windows).
// One file per platform implements it (calendartime_unix.cpp).
namespace CalendarTime {

std::tm split(std::time_t seconds, bool utc);

} // namespace CalendarTime
