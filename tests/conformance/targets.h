// The databases the suite runs against. Each has a direct DSN and a pooled
// DSN (Driver=odbcpool, TargetDSN=<direct>); the test environment's private
// odbc.ini defines both, with the credentials in the DSN.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace conformance {

enum class Dialect { kSqlite, kPostgres };

struct Target {
  std::string name;  // test parameter name: sqlite, pg_unicode, pg_ansi
  std::string tag;   // short token that keeps the targets' table names apart
  Dialect dialect;
  bool wide_driver;  // the target driver exports the W entry points itself
  std::string DirectDsn() const { return name + "_direct"; }
  std::string PooledDsn() const { return name + "_pooled"; }
  bool IsPostgres() const { return dialect == Dialect::kPostgres; }
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
