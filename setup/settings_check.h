// Checks odbcpool's own keys the way a connect would see them: the levels of
// configuration merged by precedence into the core's ConnectConfig, then the
// core's own parser (parse_settings) with its ranges, so that the setup
// library refuses exactly what a connect would refuse.
#pragma once

#include <string>

#include "attributes.h"
#include "connect_config.h"
#include "ini_reader.h"

namespace odbcpool::setup {

class SettingsCheck {
 public:
  // Levels are added highest precedence first; a key already set by a
  // higher level is ignored, as in the core.
  void add_level(const Attributes& level, ConfigSource source, const std::string& where);
  void add_level(const IniSection& level, ConfigSource source, const std::string& where);

  // Throws SetupError naming the key, the value, where it came from and what
  // is accepted.
  void check_values() const;
  // TargetDSN and TargetDriver: never both; with `required`, one of them;
  // and a DSN that does not name itself.
  void check_target(const std::string& dsn, bool required) const;

 private:
  ConnectConfig config_;
};

// Keys beginning with Pool are odbcpool's: the core drops an unknown one with
// only a warning, so the setup library refuses it as a typo.
void refuse_unknown_pool_keys(const Attributes& attributes);
// For odbcinst.ini [odbcpool]: only odbcpool's own keys.
void refuse_foreign_keys(const Attributes& attributes);

// What stays of a stored section once `settings` replace or remove their keys.
IniSection without_keys(const IniSection& stored, const Attributes& settings);

// The catalogue's spelling of one of our keys, or the key as given.
std::string canonical_key(const std::string& key);

}  // namespace odbcpool::setup
