#include "targets.h"

namespace conformance {

const std::vector<Target>& AllTargets() {
  static const std::vector<Target> targets = {
      {"sqlite", "s", Dialect::kSqlite, false, "sqlite"},
      {"pg_unicode", "u", Dialect::kPostgres, true, "pg_unicode"},
      {"pg_ansi", "a", Dialect::kPostgres, false, "pg_ansi"},
      {"sqlite_odbc2", "s2", Dialect::kSqlite, false, "sqlite", SQL_OV_ODBC2},
      {"pg_unicode_odbc2", "u2", Dialect::kPostgres, true, "pg_unicode", SQL_OV_ODBC2},
      // MariaDB Connector/ODBC (libmaodbc.so) exports both the A and the W
      // entry points, and the ODBC 2 ones.
      {"mariadb", "m", Dialect::kMariadb, true, "mariadb"},
      {"mariadb_odbc2", "m2", Dialect::kMariadb, true, "mariadb", SQL_OV_ODBC2},
  };
  return targets;
}

std::string TargetName(const testing::TestParamInfo<Target>& info) {
  return info.param.name;
}

}  // namespace conformance
