#include "settings_check.h"

#include <odbcinst.h>

#include "connection_string.h"
#include "errors.h"
#include "ini_files.h"
#include "log_settings.h"
#include "setting_keys.h"
#include "settings.h"
#include "setup_error.h"

namespace odbcpool::setup {

namespace {

// Every DSN of both odbc.ini files, whichever one this request writes: a
// system DSN may wrap a user's DSN for that user's programs.
bool is_configured_dsn(const std::string& name) {
  UWORD mode = ODBC_BOTH_DSN;
  if (!SQLGetConfigMode(&mode)) mode = ODBC_BOTH_DSN;
  const bool switched = mode != ODBC_BOTH_DSN && SQLSetConfigMode(ODBC_BOTH_DSN);
  bool found = false;
  for (const std::string& dsn : configured_dsn_names()) found = found || iequals(dsn, name);
  if (switched) SQLSetConfigMode(mode);
  return found;
}

const ConfigValue* non_empty(const ConnectConfig& config, const char* lower_key) {
  const ConfigValue* v = config.find(lower_key);
  return v != nullptr && !v->value.empty() ? v : nullptr;
}

void add_entry(ConnectConfig& config, const std::string& key, const std::string& value,
               ConfigSource source, const std::string& where) {
  if (is_own_key(key)) config.own.emplace(to_lower(key), ConfigValue{value, source, where});
}

}  // namespace

void SettingsCheck::add_level(const Attributes& level, ConfigSource source,
                              const std::string& where) {
  for (const Attribute& a : level) add_entry(config_, a.key, a.value, source, where);
}

void SettingsCheck::add_level(const IniSection& level, ConfigSource source,
                              const std::string& where) {
  for (const auto& [key, value] : level) add_entry(config_, key, value, source, where);
}

void SettingsCheck::check_values() const {
  try {
    parse_settings(config_);
  } catch (const OdbcError& e) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE, e.what());
  }
  // parse_settings leaves the Log keys to the logger, whose parser says
  // what it would have warned about at startup; here that is a refusal.
  for (const auto& [lower, v] : config_.own) {
    const KeyInfo* key = find_setting_key(lower);
    if (key == nullptr || key->kind != KeyKind::Log) continue;
    const LogSettings parsed = parse_log_settings({{key->name, v.value}}, v.where);
    if (!parsed.warnings.empty()) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE, "invalid value '" + v.value + "' for " +
                                                             key->name + " (from " + v.where +
                                                             "): expected " + key->accepted);
    }
  }
}

void SettingsCheck::check_target(const std::string& dsn, bool required) const {
  const ConfigValue* target_dsn = non_empty(config_, "targetdsn");
  const ConfigValue* target_driver = non_empty(config_, "targetdriver");
  if (target_dsn != nullptr && target_driver != nullptr) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                     "TargetDSN '" + target_dsn->value + "' (from " + target_dsn->where +
                         ") and TargetDriver '" + target_driver->value + "' (from " +
                         target_driver->where + ") are both set; set only one");
  }
  if (required && target_dsn == nullptr && target_driver == nullptr) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                     "DSN '" + dsn +
                         "' names no target to pool: set TargetDSN (a DSN to wrap) or "
                         "TargetDriver (a driver name from odbcinst.ini or a library path)");
  }
  if (target_dsn != nullptr && !dsn.empty() && iequals(target_dsn->value, dsn)) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                     "TargetDSN '" + target_dsn->value + "' names the pooled DSN itself");
  }
  if (target_dsn != nullptr && !is_configured_dsn(target_dsn->value)) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                     "TargetDSN '" + target_dsn->value + "' (from " + target_dsn->where +
                         ") is not a DSN of " + user_odbc_ini() + " or " + system_odbc_ini() +
                         ": add that DSN first, or name a driver with TargetDriver");
  }
}

void refuse_unknown_pool_keys(const Attributes& attributes) {
  for (const Attribute& a : attributes) {
    if (to_lower(a.key).rfind("pool", 0) == 0 && !is_own_key(a.key)) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                       "unknown odbcpool key '" + a.key +
                           "': keys beginning with Pool are odbcpool's own settings, and a "
                           "connect would ignore this one");
    }
  }
}

void refuse_foreign_keys(const Attributes& attributes) {
  for (const Attribute& a : attributes) {
    if (!is_own_key(a.key)) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                       "'" + a.key +
                           "' is not an odbcpool setting: the driver section takes only "
                           "odbcpool's own keys (LogLevel, LogFile, PoolMaxSize, ...); the "
                           "driver itself is registered with odbcinst -i -d");
    }
  }
}

IniSection without_keys(const IniSection& stored, const Attributes& settings) {
  IniSection out;
  for (const auto& entry : stored) {
    if (find_attribute(settings, entry.first) == nullptr) out.push_back(entry);
  }
  return out;
}

std::string canonical_key(const std::string& key) {
  const KeyInfo* info = find_setting_key(key);
  return info != nullptr ? info->name : key;
}

}  // namespace odbcpool::setup
