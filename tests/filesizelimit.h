#pragma once

#include <QtGlobal>

#include <sys/resource.h>

// Makes this process's writes past `bytes` in any file fail (EFBIG) until lifted, the way a full
// disk refuses them; the write that reaches the limit goes through in part. SIGXFSZ, which
// would kill the test, is left as it is: LogWriter::open() must have the process survive it.
class FileSizeLimit {
public:
    explicit FileSizeLimit(qint64 bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_saved);
        rlimit limit = m_saved;
        limit.rlim_cur = rlim_t(bytes);
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() { lift(); }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

    void lift() { setrlimit(RLIMIT_FSIZE, &m_saved); }

private:
    rlimit m_saved {};
};
