#include "pools.h"

#include <algorithm>

#include "host_limit.h"
#include "logging.h"
#include "metrics.h"
#include "pool_event_log.h"
#include "pool_maintainer.h"
#include "pooled_connection.h"
#include "redaction.h"

namespace odbcpool {

namespace {

std::string identity(const ConnectConfig& config, bool with_secrets) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& e : config.target_string.entries()) {
    if (with_secrets || !is_secret_key(e.key)) entries.emplace_back(to_lower(e.key), e.value);
  }
  std::sort(entries.begin(), entries.end());
  ConnectionString normalized;
  for (const auto& [k, v] : entries) normalized.set(k, v);
  return config.dsn + '\n' + config.target_library + '\n' + normalized.to_string();
}

}  // namespace

std::string pool_key(const ConnectConfig& config) {
  return identity(config, true);
}

std::string host_pool_identity(const ConnectConfig& config) {
  return identity(config, false);
}

std::string pool_name(const ConnectConfig& config) {
  std::string name = config.dsn.empty() ? config.target_description : config.dsn;
  const std::string* user = config.target_string.find("UID");
  if (user == nullptr) user = config.target_string.find("Username");
  if (user != nullptr && !user->empty()) name += " (" + *user + ")";
  return name;
}

pool::Kind connection_kind(bool wide, SQLINTEGER odbc_version) {
  return (static_cast<pool::Kind>(odbc_version) << 1) | (wide ? 1u : 0u);
}

bool kind_is_wide(pool::Kind kind) {
  return (kind & 1u) != 0;
}

SQLINTEGER kind_odbc_version(pool::Kind kind) {
  return static_cast<SQLINTEGER>(kind >> 1);
}

PoolHandle find_or_create_pool(const ConnectConfig& config, const PoolSettings& settings,
                               TargetLibrary& library) {
  auto factory = std::make_shared<PooledConnectionFactory>(
      library, config.target_string, std::make_shared<const PoolSettings>(settings));
  const std::string name = pool_name(config);
  bool created = false;
  std::shared_ptr<pool::Pool> pool = pool::PoolRegistry::instance().get_or_create(
      pool_key(config),
      [&] {
        // Before the registry starts the maintainer for this pool: the log
        // it writes to must exist before the thread's exit handler is
        // registered, so that it is destroyed after the handler has run.
        (void)log();
        pool::Maintainer::instance().set_start_failure_hook(&log_maintainer_start_failure);
        return std::make_shared<pool::Pool>(name, settings.pool, factory, pool::system_clock(),
                                            std::make_shared<PoolEventLog>(name),
                                            join_host_slots(config, settings, name));
      },
      &created);
  if (created) {
    if (!settings.metrics_file.empty()) {
      report_metrics(pool, settings.metrics_file, settings.metrics_interval);
    }
    log_pool_created(name, config, settings);
  }
  // The pool's own factory knows the settings it was made with.
  auto& made_by = static_cast<PooledConnectionFactory&>(pool->factory());
  return {std::move(pool), made_by.settings()};
}

}  // namespace odbcpool
