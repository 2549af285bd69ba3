#include "setting_keys.h"

#include "connection_string.h"

namespace odbcpool {

namespace {

constexpr const char* kDurationAccepted =
    "a duration from 0 to 365 days: a number with ms, s, m or h (a bare number is seconds)";
constexpr const char* kBooleanAccepted = "yes/no, true/false, on/off or 1/0";

std::vector<KeyInfo> make_keys() {
  const std::vector<const char*> yes_no = {"yes", "no"};
  return {
      {"TargetDSN", "", KeyKind::Target, "the name of a DSN in odbc.ini",
       "The DSN whose connections are pooled (set this or TargetDriver)."},
      {"TargetDriver", "", KeyKind::Target,
       "a driver name from odbcinst.ini or the path of a driver library",
       "The driver whose connections are pooled; every key that is not odbcpool's own goes to "
       "it unchanged (set this or TargetDSN)."},
      {"Pooling", "yes", KeyKind::Boolean, kBooleanAccepted,
       "no: a pure pass-through, every connect is a physical connect.", yes_no},
      {"PoolMaxSize", "10", KeyKind::Count, "a whole number from 1 to 10000",
       "Physical connections open at once for one pool, in use plus idle."},
      {"PoolMinIdle", "0", KeyKind::Count, "a whole number from 0 to PoolMaxSize",
       "Idle connections kept open and ready, refilled in the background."},
      {"PoolAcquireTimeout", "30s", KeyKind::Duration, kDurationAccepted,
       "How long a connect waits for a free connection when PoolMaxSize are in use; 0 fails at "
       "once (HYT01)."},
      {"PoolIdleTimeout", "10m", KeyKind::Duration, kDurationAccepted,
       "An idle connection above PoolMinIdle is closed after this long; 0 never."},
      {"PoolMaxLifetime", "30m", KeyKind::Duration, kDurationAccepted,
       "A connection is retired at this age (up to 2.5% earlier, at random), never while in "
       "use; 0 never."},
      {"PoolValidation",
       "auto",
       KeyKind::Choice,
       "auto, query, dead-attr or none",
       "How a borrowed connection is checked: auto (dead-connection attribute, then the query "
       "when idle past the bypass window), query, dead-attr or none.",
       {"auto", "query", "dead-attr", "none"}},
      {"PoolValidationQuery", "SELECT 1", KeyKind::Text, "an SQL statement",
       "The query a validation runs."},
      {"PoolValidationBypass", "500ms", KeyKind::Duration, kDurationAccepted,
       "A connection returned more recently than this is lent without a check."},
      {"PoolValidationTimeout", "5s", KeyKind::Duration, kDurationAccepted,
       "A validation (or reset or init statement) that takes longer fails."},
      {"PoolKeepalive", "0", KeyKind::Duration, kDurationAccepted,
       "Validate idle connections this often in the background; 0 never."},
      {"PoolResetOnReturn", "yes", KeyKind::Boolean, kBooleanAccepted,
       "On return: roll back an open transaction and restore the connection attributes the "
       "application changed.",
       yes_no},
      {"PoolResetStatement",
       "auto",
       KeyKind::Text,
       "auto, none or an SQL statement",
       "What clears server-side session state on return: auto (per target: DISCARD ALL for "
       "PostgreSQL, keeping the settings the connection was opened with; the driver's "
       "SQL_ATTR_RESET_CONNECTION where it has ODBC 3.80; nothing otherwise), none, or SQL to "
       "run.",
       {"auto", "none"}},
      {"PoolHostMaxSize", "0", KeyKind::Count, "a whole number from 0 to 32767",
       "The most physical connections all processes of this host hold open together for one "
       "pool (DSN and user), as processes of the same user or group; 0 no host limit."},
      {"PoolHostDir", "/run/odbcpool", KeyKind::Text, "a directory path",
       "Where the host-wide slots of PoolHostMaxSize live; the default falls back to a "
       "directory of the user's own when /run/odbcpool cannot be used."},
      {"PoolInitStatement", "", KeyKind::Text, "an SQL statement, or empty for none",
       "SQL run once on every new physical connection."},
      {"PoolLeakThreshold", "0", KeyKind::Duration, kDurationAccepted,
       "Warn, naming the borrower, when a connection stays checked out longer; 0 never."},
      {"LogLevel",
       "warn",
       KeyKind::Log,
       "trace, debug, info, warn, error or off",
       "How much odbcpool logs; process-wide, read from odbcinst.ini [odbcpool] only.",
       {"trace", "debug", "info", "warn", "error", "off"}},
      {"LogFile", "stderr", KeyKind::Log, "a file path, stderr or syslog",
       "Where odbcpool logs; process-wide, read from odbcinst.ini [odbcpool] only."},
      {"LogMaxSize", "0", KeyKind::Log,
       "a size in bytes with an optional k, M or G (1k = 1024 bytes); 0 never",
       "Rotate LogFile when it reaches this size; 0 never (odbcinst.ini [odbcpool] only)."},
      {"LogMaxFiles", "5", KeyKind::Log, "a whole number from 1 to 1000",
       "How many rotated log files are kept (odbcinst.ini [odbcpool] only)."},
      {"MetricsFile", "", KeyKind::Text, "a file path (%p is the process id), or empty for none",
       "Where the Prometheus text exposition of the pools is rewritten, atomically."},
      {"MetricsInterval", "10s", KeyKind::Duration, "a duration of at least 100ms",
       "How often MetricsFile is rewritten."},
  };
}

}  // namespace

const std::vector<KeyInfo>& setting_keys() {
  static const std::vector<KeyInfo> keys = make_keys();
  return keys;
}

const KeyInfo* find_setting_key(const std::string& name) {
  for (const KeyInfo& k : setting_keys()) {
    if (iequals(name, k.name)) return &k;
  }
  return nullptr;
}

}  // namespace odbcpool
