#include "platform/calendartime.h"

std::tm CalendarTime::split(std::time_t seconds, bool utc)
{
    std::tm parts {};
    if (utc)
        gmtime_r(&seconds, &parts);
    else
        localtime_r(&seconds, &parts);
    return parts;
}
