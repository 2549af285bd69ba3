#include "pools.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "logging.h"
#include "metrics.h"
#include "pooled_connection.h"

namespace odbcpool {

namespace {

struct Directory {
  std::mutex mutex;
  std::unordered_map<std::string, PoolEntry> entries;
};

// Leaked on purpose: pools outlive static destruction.
Directory& directory() {
  static auto* d = new Directory();
  return *d;
}

pool::Validation to_pool_validation(ValidationMode mode) {
  switch (mode) {
    case ValidationMode::Auto:
      return pool::Validation::Auto;
    case ValidationMode::Query:
      return pool::Validation::Query;
    case ValidationMode::DeadAttr:
      return pool::Validation::DeadAttr;
    case ValidationMode::None:
      return pool::Validation::None;
  }
  return pool::Validation::Auto;
}

}  // namespace

pool::Settings to_pool_settings(const PoolSettings& s) {
  pool::Settings p;
  p.max_size = s.max_size;
  p.min_idle = s.min_idle;
  p.acquire_timeout = s.acquire_timeout;
  p.idle_timeout = s.idle_timeout;
  p.max_lifetime = s.max_lifetime;
  p.validation = to_pool_validation(s.validation);
  p.validation_bypass = s.validation_bypass;
  p.validation_timeout = s.validation_timeout;
  p.keepalive = s.keepalive;
  p.leak_threshold = s.leak_threshold;
  return p;
}

std::string pool_key(const ConnectConfig& config, SQLINTEGER odbc_version) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& e : config.target_string.entries())
    entries.emplace_back(to_lower(e.key), e.value);
  std::sort(entries.begin(), entries.end());
  ConnectionString normalized;
  for (const auto& [k, v] : entries) normalized.set(k, v);
  return config.dsn + (config.wide ? "\nW\n" : "\nA\n") + config.target_library + '\n' +
         std::to_string(odbc_version) + '\n' + normalized.to_string();
}

std::string pool_name(const ConnectConfig& config) {
  std::string name = config.dsn.empty() ? config.target_description : config.dsn;
  const std::string* user = config.target_string.find("UID");
  if (user == nullptr) user = config.target_string.find("Username");
  if (user != nullptr && !user->empty()) name += " (" + *user + ")";
  return name;
}

static PoolEntry find_or_create_locked(const std::string& key, const ConnectConfig& config,
                                       const PoolSettings& settings, TargetLibrary& library,
                                       SQLINTEGER odbc_version);

PoolEntry find_or_create_pool(const ConnectConfig& config, const PoolSettings& settings,
                              TargetLibrary& library, SQLINTEGER odbc_version) {
  const std::string key = pool_key(config, odbc_version);
  // Pools are never removed, so each thread can remember the ones it found
  // and skip the shared directory (and its lock) on later connects.
  thread_local std::unordered_map<std::string, PoolEntry> known;
  if (auto it = known.find(key); it != known.end()) return it->second;
  PoolEntry found = find_or_create_locked(key, config, settings, library, odbc_version);
  known.emplace(key, found);
  return found;
}

static PoolEntry find_or_create_locked(const std::string& key, const ConnectConfig& config,
                                       const PoolSettings& settings, TargetLibrary& library,
                                       SQLINTEGER odbc_version) {
  Directory& d = directory();
  std::lock_guard<std::mutex> lock(d.mutex);
  auto it = d.entries.find(key);
  if (it != d.entries.end()) return it->second;

  PoolEntry entry;
  entry.settings = std::make_shared<const PoolSettings>(settings);
  auto factory = std::make_shared<PooledConnectionFactory>(
      library, odbc_version, config.target_string, settings, config.wide);
  const std::string name = pool_name(config);
  entry.pool = pool::PoolRegistry::instance().get_or_create(
      key, [&] { return std::make_shared<pool::Pool>(name, to_pool_settings(settings), factory); });
  if (!settings.metrics_file.empty()) {
    report_metrics(entry.pool, settings.metrics_file, settings.metrics_interval);
  }
  log_pool_created(name, config, settings);
  d.entries.emplace(key, entry);
  return entry;
}

}  // namespace odbcpool
