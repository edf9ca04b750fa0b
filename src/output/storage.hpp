// The storage a run writes to: free space of the file system holding a path (statvfs), the
// process's file-size limit (RLIMIT_FSIZE), and a hint that says why a write failed when one of
// them is the reason. Used by the resource check before a run and by every writer's error message.
#pragma once

#include <cstdint>
#include <string>

namespace lantian {

struct StorageInfo {
    bool known = false;            // false when no folder on the path could be examined
    std::string folder;            // the existing folder examined (the path's nearest existing ancestor)
    std::uint64_t free_bytes = 0;  // available to an unprivileged writer (f_bavail)
    std::uint64_t total_bytes = 0;
};

// The file system holding `path` (a file that need not exist yet, or a folder).
StorageInfo storage_of(const std::string& path);

// The soft file-size limit of this process in bytes (RLIMIT_FSIZE); UINT64_MAX when unlimited.
std::uint64_t file_size_limit_bytes();

// After a failed write of `path`: " (the file system holding FOLDER is full: N bytes free)" or
// " (the file-size limit of N bytes is reached)" when that explains it, else "".
std::string storage_hint(const std::string& path);

// Bytes in binary units for messages: "512 B", "3.4 MiB", "1.2 TiB".
std::string format_bytes(double bytes);

}  // namespace lantian
