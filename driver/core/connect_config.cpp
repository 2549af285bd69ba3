#include "connect_config.h"

#include <algorithm>
#include <deque>

#include "connect_chain.h"
#include "errors.h"
#include "lengths.h"
#include "setting_keys.h"

namespace odbcpool {

namespace {

const std::vector<std::string>& lower_own_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> lower;
    for (const KeyInfo& k : setting_keys()) lower.push_back(to_lower(k.name));
    return lower;
  }();
  return keys;
}

bool is_known_own_key(const std::string& lower) {
  const auto& keys = lower_own_keys();
  return std::find(keys.begin(), keys.end(), lower) != keys.end();
}

bool looks_like_pool_key(const std::string& lower) {
  return lower.rfind("pool", 0) == 0;
}

// Keys that describe the DSN or name the driver rather than configure it.
bool is_meta_key(const std::string& lower) {
  return lower == "driver" || lower == "dsn" || lower == "description" || lower == "filedsn" ||
         lower == "savefile";
}

// Collects one level of configuration: own keys into `own` (unless a higher
// level already set them), unknown Pool* keys as warnings, and the rest into
// `passthrough` when asked.
template <class Entries>
void collect(const Entries& entries, ConfigSource source, const std::string& where,
             ConnectConfig& config, ConnectionString* passthrough) {
  for (const auto& entry : entries) {
    const std::string& key = entry.first;
    const std::string& value = entry.second;
    const std::string lower = to_lower(key);
    if (is_known_own_key(lower)) {
      config.own.emplace(lower, ConfigValue{value, source, where});
    } else if (looks_like_pool_key(lower)) {
      config.warnings.push_back(DiagRecord::own(
          "01S00", "unknown odbcpool key '" + shortened(key, 128) + "' in " + where + " ignored"));
    } else if (passthrough != nullptr && !is_meta_key(lower)) {
      passthrough->set_default(key, value);
    }
  }
}

std::vector<std::pair<std::string, std::string>> pairs(const ConnectionString& cs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : cs.entries()) out.emplace_back(e.key, e.value);
  return out;
}

// The library of a DSN's driver, the way unixODBC's Driver Manager finds it:
// the DSN's Driver is either a path or a name in odbcinst.ini, whose Driver64
// or Driver entry is the library.
std::string driver_library(const std::string& driver, IniReader& ini, const std::string& what) {
  if (driver.find('/') != std::string::npos) return driver;
  const IniSection section = ini.driver_section(driver);
  const std::string* lib = find_value(section, "Driver64");
  if (lib == nullptr || lib->empty()) lib = find_value(section, "Driver");
  if (lib == nullptr || lib->empty()) {
    throw OdbcError("IM002", what + ": driver '" + shortened(driver) + "' is not registered in " +
                                 ini.driver_file() + " (no [" + shortened(driver) +
                                 "] section with Driver=)");
  }
  return *lib;
}

}  // namespace

const std::vector<std::string>& own_keys() {
  return lower_own_keys();
}

bool is_own_key(const std::string& key) {
  return is_known_own_key(to_lower(key));
}

const ConfigValue* ConnectConfig::find(const std::string& lower_key) const {
  auto it = own.find(lower_key);
  return it == own.end() ? nullptr : &it->second;
}

std::string describe(ConfigSource source) {
  switch (source) {
    case ConfigSource::ConnectionString:
      return "connection string";
    case ConfigSource::DsnSection:
      return "odbc.ini";
    case ConfigSource::DriverSection:
      return "odbcinst.ini";
    case ConfigSource::Default:
      return "default";
  }
  return "unknown";
}

namespace {

// One connect's configuration, without following its target.
ConnectConfig resolve_link(const ConnectionString& app, IniReader& ini) {
  ConnectConfig config;
  ConnectionString passthrough;

  collect(pairs(app), ConfigSource::ConnectionString, "the connection string", config,
          &passthrough);
  if (const std::string* dsn = app.find("DSN"); dsn != nullptr && !dsn->empty()) {
    config.dsn = *dsn;
    const IniSection section = ini.dsn_section(config.dsn);
    if (section.empty() && app.find("DRIVER") == nullptr) {
      throw OdbcError(
          "IM002", "data source '" + shortened(config.dsn) + "' not found in " + ini.dsn_files());
    }
    collect(section, ConfigSource::DsnSection, "odbc.ini [" + shortened(config.dsn) + "]", config,
            &passthrough);
  }
  collect(ini.driver_section(kDriverSection), ConfigSource::DriverSection,
          std::string("odbcinst.ini [") + kDriverSection + "]", config, nullptr);

  const ConfigValue* target_dsn = config.find("targetdsn");
  const ConfigValue* target_driver = config.find("targetdriver");
  if (target_dsn != nullptr && target_dsn->value.empty()) target_dsn = nullptr;
  if (target_driver != nullptr && target_driver->value.empty()) target_driver = nullptr;
  if (target_dsn == nullptr && target_driver == nullptr) {
    throw OdbcError("IM002",
                    "no target to pool: set TargetDSN (a DSN to wrap) or TargetDriver (a "
                    "driver name from odbcinst.ini or a library path)" +
                        (config.dsn.empty() ? std::string(" in the connection string")
                                            : " in odbc.ini [" + shortened(config.dsn) + "]"));
  }
  if (target_dsn != nullptr && target_driver != nullptr) {
    throw OdbcError("HY000", "TargetDSN (from " + target_dsn->where + ") and TargetDriver (from " +
                                 target_driver->where + ") are both set; set only one");
  }

  if (target_dsn != nullptr) {
    const std::string& name = target_dsn->value;
    if (!config.dsn.empty() && iequals(name, config.dsn)) {
      throw_chain_loop({chain_link(config, ini)}, name,
                       "TargetDSN '" + shortened(name) + "' names the pooled DSN itself");
    }
    const IniSection section = ini.dsn_section(name);
    const std::string* driver = find_value(section, "Driver");
    if (driver == nullptr || driver->empty()) {
      throw OdbcError("IM002", "TargetDSN '" + shortened(name) + "' (from " + target_dsn->where +
                                   ") not found in " + ini.dsn_files());
    }
    config.target_library = driver_library(*driver, ini, "TargetDSN '" + shortened(name) + "'");
    config.target_string.set("DSN", name);
    config.target_description = "DSN " + name + " (driver " + *driver + ")";
  } else {
    const std::string& name = target_driver->value;
    config.target_library = driver_library(name, ini, "TargetDriver '" + shortened(name) + "'");
    config.target_string.set("DRIVER", name);
    config.target_description = "driver " + name;
  }
  for (const auto& e : passthrough.entries()) config.target_string.set_default(e.key, e.value);
  return config;
}

// A target that is odbcpool again resolves in turn, as its own connect
// will, until the chain reaches a real driver. One that comes back to a DSN
// already on it would wait for itself until PoolAcquireTimeout, so it is
// refused now. A link that fails to resolve for another reason is left for
// its own connect to report, as it always has been.
void refuse_loops(const ConnectConfig& first, IniReader& ini, const OwnLibrary& own) {
  std::deque<ConnectConfig> chain;  // from the second link on; a deque keeps `link` valid
  const ConnectConfig* link = &first;
  const auto words = [&] {
    std::vector<ChainLink> links{chain_link(first, ini)};
    for (const ConnectConfig& c : chain) links.push_back(chain_link(c, ini));
    return links;
  };
  while (own.is(link->target_library)) {
    const std::string* next = link->target_string.find("DSN");
    if (link->find("targetdsn") == nullptr || next == nullptr) {
      throw_chain_loop(words(), "odbcpool",
                       "TargetDriver names odbcpool's own library " + link->target_library +
                           ", not a driver to pool");
    }
    const bool seen = iequals(first.dsn, *next) ||
                      std::any_of(chain.begin(), chain.end(),
                                  [&](const ConnectConfig& c) { return iequals(c.dsn, *next); });
    if (seen) throw_chain_loop(words(), *next);
    try {
      chain.push_back(resolve_link(link->target_string, ini));
    } catch (const OdbcError&) {
      return;
    }
    link = &chain.back();
  }
}

}  // namespace

ConnectConfig resolve_connect(const ConnectionString& app, IniReader& ini) {
  return resolve_connect(app, ini, OwnLibrary::this_library());
}

ConnectConfig resolve_connect(const ConnectionString& app, IniReader& ini, const OwnLibrary& own) {
  ConnectConfig config = resolve_link(app, ini);
  refuse_loops(config, ini, own);
  return config;
}

}  // namespace odbcpool
