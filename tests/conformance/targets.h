// The databases the suite runs against. Each has a direct DSN and a pooled
// DSN (Driver=odbcpool, TargetDSN=<direct>); the test environment's private
// odbc.ini defines both, with the credentials in the DSN.
#pragma once

#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>

#include <ostream>
#include <string>
#include <vector>

namespace conformance {

enum class Dialect { kSqlite, kPostgres, kMariadb };

struct Target {
  std::string name;  // test parameter name: sqlite, pg_unicode, pg_ansi, mariadb, ..._odbc2
  std::string tag;   // short token that keeps the targets' table names apart
  Dialect dialect;
  bool wide_driver;  // the target driver exports the W entry points itself
  std::string dsn;   // the DSNs' base name: sqlite, pg_unicode, pg_ansi, mariadb
  // The application's SQL_ATTR_ODBC_VERSION. With SQL_OV_ODBC2 the Driver
  // Manager calls a driver's ODBC 2 functions (SQLAllocStmt, SQLError, ...)
  // where it exports them: psqlODBC and SQLite's do, and so does odbcpool.
  SQLINTEGER odbc_version = SQL_OV_ODBC3;
  std::string DirectDsn() const { return dsn + "_direct"; }
  std::string PooledDsn() const { return dsn + "_pooled"; }
  bool IsPostgres() const { return dialect == Dialect::kPostgres; }
  bool IsSqlite() const { return dialect == Dialect::kSqlite; }
  bool IsMariadb() const { return dialect == Dialect::kMariadb; }
  // The SQLSTATE an application of this target's ODBC version sees for an
  // ODBC 3 one: the Driver Manager maps HY... to ODBC 2's S1... for ODBC 2,
  // and a few others (those the cases look for) to their ODBC 2 names.
  std::string State(const std::string& odbc3) const {
    if (odbc_version != SQL_OV_ODBC2) return odbc3;
    if (odbc3 == "42000") return "37000";
    if (odbc3 == "42S02") return "S0002";
    if (odbc3 == "42S22") return "S0022";
    if (odbc3.compare(0, 2, "HY") != 0) return odbc3;
    return "S1" + odbc3.substr(2);
  }
  const char* BinaryType() const { return IsPostgres() ? "BYTEA" : "BLOB"; }
};

// For gtest's messages ("where GetParam() = pg_unicode").
inline void PrintTo(const Target& target, std::ostream* os) {
  *os << target.name;
}

const std::vector<Target>& AllTargets();
std::string TargetName(const testing::TestParamInfo<Target>& info);

// Credentials baked into the test DSNs; the SQLConnect cases pass them
// explicitly as well.
inline constexpr const char* kTestUser = "odbcpool";
inline constexpr const char* kTestPassword = "odbcpool-secret";

}  // namespace conformance
