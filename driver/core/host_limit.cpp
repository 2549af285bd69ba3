#include "host_limit.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "errors.h"
#include "logging.h"
#include "pools.h"

namespace odbcpool {

namespace {

// Whether this process can take slots in `dir`, creating it (`mode`) when
// missing. `error` says why not.
bool usable_directory(const std::string& dir, mode_t mode, bool must_be_own, bool create,
                      std::string& error) {
  if (create && mkdir(dir.c_str(), mode) == 0) {
    chmod(dir.c_str(), mode);  // whatever the umask
  } else if (create && errno != EEXIST) {
    error = std::strerror(errno);
    return false;
  }
  struct stat info {};
  if (lstat(dir.c_str(), &info) != 0) {
    // A reader takes the directory a writer would create.
    const std::string parent = dir.substr(0, std::max<std::size_t>(dir.rfind('/'), 1));
    if (!create && errno == ENOENT && access(parent.c_str(), W_OK | X_OK) == 0) return true;
    error = std::strerror(errno);
    return false;
  }
  if (!S_ISDIR(info.st_mode)) {
    error = "it is not a directory";
    return false;
  }
  // A directory of our own in a place everyone can write: not one somebody
  // else made for us to use.
  if (must_be_own && (info.st_uid != geteuid() || (info.st_mode & 077) != 0)) {
    error = "it belongs to another user or is open to others";
    return false;
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

std::string host_slot_directory(const PoolSettings& settings, bool create) {
  std::string error;
  if (!settings.host_dir.empty()) {
    if (usable_directory(settings.host_dir, 0770, false, create, error)) return settings.host_dir;
    throw OdbcError("HY000", "PoolHostDir = " + settings.host_dir + " cannot be used: " + error +
                                 " (PoolHostMaxSize needs a directory this process can write)");
  }
  if (usable_directory(kDefaultHostDir, 0770, false, create, error)) return kDefaultHostDir;
  const std::string first_error = error;
  std::vector<std::string> fallbacks;
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime == '/')
    fallbacks.push_back(std::string(runtime) + "/odbcpool");
  fallbacks.push_back("/tmp/odbcpool-" + std::to_string(geteuid()));
  std::string tried = std::string(kDefaultHostDir) + " (" + first_error + ")";
  for (const std::string& dir : fallbacks) {
    if (usable_directory(dir, 0700, true, create, error)) return dir;
    tried += ", " + dir + " (" + error + ")";
  }
  throw OdbcError("HY000", "no directory for the host slots of PoolHostMaxSize: tried " + tried +
                               "; set PoolHostDir");
}

std::shared_ptr<pool::HostSlots> join_host_slots(const ConnectConfig& config,
                                                 const PoolSettings& settings,
                                                 const std::string& pool_name) {
  if (settings.host_max_size == 0) return nullptr;
  const std::string dir = host_slot_directory(settings);
  pool::HostSlots::Joined joined;
  try {
    joined =
        pool::HostSlots::join(dir, host_pool_identity(config), settings.host_max_size, pool_name);
  } catch (const pool::HostSlotsError& e) {
    throw OdbcError("HY000", "pool '" + pool_name + "': PoolHostMaxSize: " + e.what());
  }
  try {
    if (joined.other_limit != 0) {
      log()->warn(
          "pool '{}': PoolHostMaxSize = {} here, but other processes hold its host slots ({}) "
          "with PoolHostMaxSize = {}, which applies until none holds one",
          pool_name, settings.host_max_size, joined.slots->file(), joined.other_limit);
    } else if (joined.changed_from != 0) {
      log()->info("pool '{}': the host limit in {} changed from {} to {}", pool_name,
                  joined.slots->file(), joined.changed_from, settings.host_max_size);
    } else {
      log()->info("pool '{}': at most {} connections on this host, slots in {}", pool_name,
                  settings.host_max_size, joined.slots->file());
    }
  } catch (...) {
  }
  return joined.slots;
}

}  // namespace odbcpool
