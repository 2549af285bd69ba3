#include "settings.h"

#include <cctype>
#include <cmath>
#include <stdexcept>

#include "errors.h"
#include "host_slots.h"
#include "lengths.h"

namespace odbcpool {

namespace {

using std::chrono::nanoseconds;

constexpr std::size_t kMaxPoolSize = 10000;
const nanoseconds kMaxDuration = std::chrono::hours(24 * 365);

[[noreturn]] void bad_value(const std::string& key, const ConfigValue& v,
                            const std::string& accepted) {
  throw OdbcError("HY000", "invalid value '" + shortened(v.value) + "' for " + key + " (from " +
                               v.where + "): expected " + accepted);
}

class Reader {
 public:
  explicit Reader(const ConnectConfig& config) : config_(config) {}

  template <class Parse>
  void read(const char* key, Parse&& parse) {
    const ConfigValue* v = config_.find(to_lower(key));
    if (v != nullptr) parse(*v);
  }

 private:
  const ConnectConfig& config_;
};

std::size_t parse_count(const char* key, const ConfigValue& v, std::size_t min, std::size_t max) {
  const std::string text = std::string(trim(v.value));
  const std::string accepted =
      "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 9) {
    bad_value(key, v, accepted);
  }
  const std::size_t n = std::stoul(text);
  if (n < min || n > max) bad_value(key, v, accepted);
  return n;
}

nanoseconds parse_duration_value(const char* key, const ConfigValue& v) {
  try {
    const nanoseconds d = parse_duration(v.value);
    if (d > kMaxDuration) throw std::invalid_argument("too long");
    return d;
  } catch (const std::invalid_argument&) {
    bad_value(key, v,
              "a duration from 0 to 365 days: a number with ms, s, m or h (a bare number is "
              "seconds)");
  }
}

bool parse_bool_value(const char* key, const ConfigValue& v) {
  try {
    return parse_bool(v.value);
  } catch (const std::invalid_argument&) {
    bad_value(key, v, "yes/no, true/false, on/off or 1/0");
  }
}

}  // namespace

nanoseconds parse_duration(const std::string& raw) {
  const std::string text = std::string(trim(raw));
  std::size_t pos = 0;
  while (pos < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[pos])) || text[pos] == '.'))
    ++pos;
  if (pos == 0) throw std::invalid_argument("no number");
  const std::string number = text.substr(0, pos);
  if (number.find('.') != number.rfind('.')) throw std::invalid_argument("bad number");
  const double value = std::stod(number);
  const std::string unit = to_lower(trim(text.substr(pos)));
  double scale;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    throw std::invalid_argument("bad unit");
  }
  const double ns = value * scale;
  if (!std::isfinite(ns) || ns > 1e18) throw std::invalid_argument("too long");
  return nanoseconds(static_cast<long long>(std::llround(ns)));
}

bool parse_bool(const std::string& raw) {
  const std::string v = to_lower(trim(raw));
  if (v == "yes" || v == "true" || v == "on" || v == "1") return true;
  if (v == "no" || v == "false" || v == "off" || v == "0") return false;
  throw std::invalid_argument("not a boolean");
}

std::string format_duration(nanoseconds d) {
  using namespace std::chrono;
  const long long ms = duration_cast<milliseconds>(d).count();
  if (ms == 0) return "0";
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

PoolSettings parse_settings(const ConnectConfig& config) {
  PoolSettings s;
  Reader r(config);
  r.read("Pooling", [&](const ConfigValue& v) { s.pooling = parse_bool_value("Pooling", v); });
  r.read("PoolMaxSize", [&](const ConfigValue& v) {
    s.pool.max_size = parse_count("PoolMaxSize", v, 1, kMaxPoolSize);
  });
  r.read("PoolMinIdle", [&](const ConfigValue& v) {
    s.pool.min_idle = parse_count("PoolMinIdle", v, 0, kMaxPoolSize);
  });
  if (s.pool.min_idle > s.pool.max_size) {
    const ConfigValue* v = config.find("poolminidle");
    bad_value("PoolMinIdle", *v, "at most PoolMaxSize (" + std::to_string(s.pool.max_size) + ")");
  }
  r.read("PoolAcquireTimeout", [&](const ConfigValue& v) {
    s.pool.acquire_timeout = parse_duration_value("PoolAcquireTimeout", v);
  });
  r.read("PoolIdleTimeout", [&](const ConfigValue& v) {
    s.pool.idle_timeout = parse_duration_value("PoolIdleTimeout", v);
  });
  r.read("PoolMaxLifetime", [&](const ConfigValue& v) {
    s.pool.max_lifetime = parse_duration_value("PoolMaxLifetime", v);
  });
  r.read("PoolValidation", [&](const ConfigValue& v) {
    const std::string mode = to_lower(trim(v.value));
    if (mode == "auto") {
      s.pool.validation = pool::Validation::Auto;
    } else if (mode == "query") {
      s.pool.validation = pool::Validation::Query;
    } else if (mode == "dead-attr") {
      s.pool.validation = pool::Validation::DeadAttr;
    } else if (mode == "none") {
      s.pool.validation = pool::Validation::None;
    } else {
      bad_value("PoolValidation", v, "auto, query, dead-attr or none");
    }
  });
  r.read("PoolValidationQuery", [&](const ConfigValue& v) {
    if (trim(v.value).empty()) bad_value("PoolValidationQuery", v, "an SQL statement");
    s.validation_query = v.value;
  });
  r.read("PoolValidationBypass", [&](const ConfigValue& v) {
    s.pool.validation_bypass = parse_duration_value("PoolValidationBypass", v);
  });
  r.read("PoolValidationTimeout", [&](const ConfigValue& v) {
    s.pool.validation_timeout = parse_duration_value("PoolValidationTimeout", v);
  });
  r.read("PoolKeepalive", [&](const ConfigValue& v) {
    s.pool.keepalive = parse_duration_value("PoolKeepalive", v);
  });
  r.read("PoolResetOnReturn", [&](const ConfigValue& v) {
    s.reset_on_return = parse_bool_value("PoolResetOnReturn", v);
  });
  r.read("PoolResetStatement", [&](const ConfigValue& v) {
    const std::string text = std::string(trim(v.value));
    const std::string word = to_lower(text);
    if (word == "auto") {
      s.reset = ResetStatement::Auto;
    } else if (word == "none" || text.empty()) {
      // Empty is what "no reset statement" was written as before `none`.
      s.reset = ResetStatement::None;
    } else {
      s.reset = ResetStatement::Sql;
      s.reset_statement = text;
    }
  });
  r.read("PoolHostMaxSize", [&](const ConfigValue& v) {
    s.host_max_size = parse_count("PoolHostMaxSize", v, 0, pool::kLargestHostMaxSize);
  });
  if (s.host_max_size != 0 && s.host_max_size < s.pool.min_idle) {
    bad_value("PoolHostMaxSize", *config.find("poolhostmaxsize"),
              "0 or at least PoolMinIdle (" + std::to_string(s.pool.min_idle) +
                  "): every process keeps PoolMinIdle open");
  }
  r.read("PoolHostDir", [&](const ConfigValue& v) {
    s.host_dir = trim(v.value);
    if (s.host_dir.empty() || s.host_dir.front() != '/')
      bad_value("PoolHostDir", v, "an absolute directory path");
  });
  r.read("PoolInitStatement", [&](const ConfigValue& v) { s.init_statement = trim(v.value); });
  r.read("PoolLeakThreshold", [&](const ConfigValue& v) {
    s.pool.leak_threshold = parse_duration_value("PoolLeakThreshold", v);
  });
  r.read("MetricsFile", [&](const ConfigValue& v) { s.metrics_file = trim(v.value); });
  r.read("MetricsInterval", [&](const ConfigValue& v) {
    s.metrics_interval = parse_duration_value("MetricsInterval", v);
    if (s.metrics_interval < std::chrono::milliseconds(100)) {
      bad_value("MetricsInterval", v, "a duration of at least 100ms");
    }
  });
  return s;
}

}  // namespace odbcpool
