#include "connect_route.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "errors.h"
#include "ini_reader.h"
#include "logging.h"

namespace odbcpool {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRecheckEvery = std::chrono::seconds(1);
constexpr std::size_t kMaxEntries = 64;

struct FileStamp {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};
  bool operator==(const FileStamp& o) const {
    return exists == o.exists && device == o.device && inode == o.inode && size == o.size &&
           modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec;
  }
};

std::vector<FileStamp> stamp(const std::vector<std::string>& files) {
  std::vector<FileStamp> stamps;
  for (const auto& f : files) {
    struct stat st {};
    FileStamp s;
    if (::stat(f.c_str(), &st) == 0) {
      s.exists = true;
      s.device = st.st_dev;
      s.inode = st.st_ino;
      s.size = st.st_size;
      s.modified = st.st_mtim;
    }
    stamps.push_back(s);
  }
  return stamps;
}

// Which files are read depends on the environment, so it is part of the key.
std::string environment_key() {
  std::string key;
  for (const char* name : {"ODBCINI", "ODBCSYSINI", "ODBCINSTINI", "HOME"}) {
    const char* v = std::getenv(name);
    key += v != nullptr ? v : "";
    key += '\n';
  }
  return key;
}

struct Cached {
  std::shared_ptr<const ConnectRoute> route;
  std::vector<std::string> files;
  std::vector<FileStamp> stamps;
  Clock::time_point checked;
};

std::shared_ptr<const ConnectRoute> make_route(const ConnectionString& app, IniReader& ini) {
  auto route = std::make_shared<ConnectRoute>();
  try {
    route->config = resolve_connect(app, ini);
    route->settings = parse_settings(route->config);
    route->library = &TargetLibrary::load(route->config.target_library);
  } catch (const OdbcError& e) {
    // The application gets the diagnostic; the operator gets the log line.
    log()->warn("connect refused: {}", masked(std::string_view(e.what())));
    throw;
  }
  for (const auto& w : route->config.warnings) log()->warn("{}", w.message);
  if (route->settings.pooling) {
    route->pool = find_or_create_pool(route->config, route->settings, *route->library);
  }
  return route;
}

}  // namespace

std::shared_ptr<const ConnectRoute> route_connect(const ConnectionString& app) {
  thread_local std::unordered_map<std::string, Cached> cache;
  const std::string key = environment_key() + app.to_string();
  const auto now = Clock::now();

  auto it = cache.find(key);
  if (it != cache.end()) {
    Cached& c = it->second;
    if (now - c.checked < kRecheckEvery) return c.route;
    if (stamp(c.files) == c.stamps) {
      c.checked = now;
      return c.route;
    }
    cache.erase(it);
  }

  IniReader& ini = system_ini();
  Cached fresh;
  fresh.files = ini.files();
  fresh.stamps = stamp(fresh.files);
  fresh.route = make_route(app, ini);
  fresh.checked = now;
  if (cache.size() >= kMaxEntries) cache.clear();
  return cache.emplace(key, std::move(fresh)).first->second.route;
}

}  // namespace odbcpool
