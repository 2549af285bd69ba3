#include "parent_directories.h"

#include <sys/stat.h>

#include <cerrno>

namespace odbcpool {

bool create_parent_directories(const std::string& file_path) {
  const std::size_t last_slash = file_path.rfind('/');
  if (last_slash == std::string::npos || last_slash == 0) return true;
  const std::string directory = file_path.substr(0, last_slash);
  std::size_t end = 0;
  do {
    end = directory.find('/', end + 1);
    const std::string component = directory.substr(0, end);
    // EEXIST also covers a component that another process created meanwhile.
    if (::mkdir(component.c_str(), 0755) != 0 && errno != EEXIST) return false;
  } while (end != std::string::npos);
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) return false;
  if (!S_ISDIR(info.st_mode)) {
    errno = ENOTDIR;
    return false;
  }
  return true;
}

}  // namespace odbcpool
