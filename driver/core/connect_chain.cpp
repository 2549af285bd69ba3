#include "connect_chain.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include "errors.h"
#include "target_library.h"

namespace odbcpool {

namespace {

bool identify(const std::string& path, unsigned long long& device, unsigned long long& inode) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return false;
  device = st.st_dev;
  inode = st.st_ino;
  return true;
}

std::string own_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&own_path), &info) == 0 || info.dli_fname == nullptr) {
    return {};
  }
  return info.dli_fname;
}

}  // namespace

// Read only when there is an error to word: finding the file costs ini reads.
ChainLink chain_link(const ConnectConfig& config, IniReader& ini) {
  ChainLink link;
  link.name = config.dsn.empty() ? "(connection string)" : config.dsn;
  const ConfigValue* target = config.find("targetdsn");
  std::string key = "TargetDSN";
  if (target == nullptr || target->value.empty()) {
    target = config.find("targetdriver");
    key = "TargetDriver";
  }
  if (target == nullptr) return link;
  link.next = key + "=" + target->value + " in " + target->where;
  if (target->source == ConfigSource::DsnSection) {
    link.next += " (" + ini.dsn_file(config.dsn) + ")";
  } else if (target->source == ConfigSource::DriverSection) {
    link.next += " (" + ini.driver_file() + ")";
  }
  return link;
}

const OwnLibrary& OwnLibrary::this_library() {
  static const OwnLibrary own(own_path());
  return own;
}

OwnLibrary::OwnLibrary(std::string path) : path_(std::move(path)) {
  known_ = identify(path_, device_, inode_);
}

bool OwnLibrary::is(const std::string& library) const {
  if (!known_ || library.empty()) return false;
  const std::string path =
      library.find('/') != std::string::npos ? library : default_driver_directory() + "/" + library;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  return identify(path, device, inode) && device == device_ && inode == inode_;
}

void throw_chain_loop(const std::vector<ChainLink>& chain, const std::string& back_to,
                      const std::string& why) {
  std::string path;
  std::string links;
  for (const ChainLink& link : chain) {
    path += link.name + " -> ";
    if (link.next.empty()) continue;
    links += (links.empty() ? "" : "; ") + link.name + " has " + link.next;
  }
  path += back_to;
  std::string message = "the DSN chain loops: " + path;
  if (!why.empty()) message += " (" + why + ")";
  if (!links.empty()) message += ": " + links;
  throw OdbcError("HY000", message);
}

}  // namespace odbcpool
