#include "config_review.h"

#include <algorithm>

#include "edit_distance.h"
#include "errors.h"
#include "setting_keys.h"
#include "settings.h"

namespace odbcpool::cli {

namespace {

std::string without_prefix(const std::string& message) {
  const std::string prefix = kMessagePrefix;
  return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size()) : message;
}

// The key in "unknown odbcpool key 'PoolMaxSise' in ..." (connect_config.cpp).
std::string quoted_key(const std::string& message) {
  const std::size_t open = message.find('\'');
  const std::size_t close = open == std::string::npos ? open : message.find('\'', open + 1);
  return close == std::string::npos ? std::string() : message.substr(open + 1, close - open - 1);
}

// The error parse_settings() raises for `keys` alone, or "".
std::string error_for(const ConnectConfig& config, const std::vector<std::string>& keys) {
  ConnectConfig single;
  for (const std::string& key : keys) {
    if (const ConfigValue* v = config.find(key)) single.own.emplace(key, *v);
  }
  try {
    parse_settings(single);
  } catch (const OdbcError& e) {
    return e.what();
  }
  return {};
}

void review_values(const ConnectConfig& config, ConfigReview& review) {
  const bool max_size_valid = error_for(config, {"poolmaxsize"}).empty();
  for (const KeyInfo& info : setting_keys()) {
    const std::string key = to_lower(info.name);
    if (config.find(key) == nullptr) continue;
    std::vector<std::string> keys = {key};
    // PoolMinIdle is only checked against a PoolMaxSize that parses.
    if (key == "poolminidle" && max_size_valid) keys.push_back("poolmaxsize");
    std::string error = error_for(config, keys);
    if (!error.empty()) review.errors.push_back(std::move(error));
  }
  if (review.errors.empty()) {
    try {
      parse_settings(config);
    } catch (const OdbcError& e) {
      review.errors.push_back(e.what());
    }
  }
}

// LogLevel is read by the logger, which falls back to warn rather than
// failing a connect; still worth saying.
void review_choices(const ConnectConfig& config, ConfigReview& review) {
  for (const KeyInfo& info : setting_keys()) {
    if (info.kind != KeyKind::Log || info.choices.empty()) continue;
    const ConfigValue* v = config.find(to_lower(info.name));
    if (v == nullptr) continue;
    const std::string value = to_lower(v->value);
    const bool accepted =
        value == "warning" || std::any_of(info.choices.begin(), info.choices.end(),
                                          [&](const char* c) { return value == c; });
    if (!accepted) {
      review.warnings.push_back("invalid value '" + v->value + "' for " + info.name + " (from " +
                                v->where + "): expected " + info.accepted + "; odbcpool uses " +
                                info.default_value);
    }
  }
}

void review_driver_manager_pooling(IniReader& ini, ConfigReview& review) {
  const IniSection odbc = ini.driver_section("ODBC");
  const std::string* pooling = find_value(odbc, "Pooling");
  if (pooling == nullptr) return;
  const std::string value = to_lower(*pooling);
  if (value == "yes" || value == "1" || value == "true" || value == "on") {
    review.warnings.push_back(
        "the unixODBC Driver Manager's own pooling is on ([ODBC] Pooling=" + *pooling + " in " +
        ini.driver_file() +
        "): two pools in a row hide each other's problems; set Pooling=No there");
  }
}

}  // namespace

std::string closest_key(const std::string& key) {
  const std::string lower = to_lower(key);
  std::string best;
  std::size_t best_distance = 3;  // more than two edits away is not a typo
  for (const KeyInfo& info : setting_keys()) {
    const std::size_t d = edit_distance(lower, to_lower(info.name));
    if (d < best_distance) {
      best_distance = d;
      best = info.name;
    }
  }
  return best;
}

ConfigReview review_config(const ConnectConfig& config, IniReader& ini) {
  ConfigReview review;
  review_values(config, review);
  for (const DiagRecord& w : config.warnings) {
    std::string message = without_prefix(w.message);
    const std::string suggestion = closest_key(quoted_key(message));
    if (!suggestion.empty()) message += " (did you mean " + suggestion + "?)";
    review.warnings.push_back(std::move(message));
  }
  review_choices(config, review);
  review_driver_manager_pooling(ini, review);
  return review;
}

}  // namespace odbcpool::cli
