// The few Driver Manager calls `check` makes, as an application would make
// them (ANSI API, ODBC 3), with RAII handles and diagnostics as data.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace odbcpool::cli {

struct OdbcDiagnostic {
  std::string sqlstate;
  SQLINTEGER native = 0;
  std::string message;
};

// "[IM002] message; [01000] message"
std::string describe(const std::vector<OdbcDiagnostic>& records);

class OdbcFailure : public std::runtime_error {
 public:
  OdbcFailure(const std::string& what, std::vector<OdbcDiagnostic> records)
      : std::runtime_error(what), records_(std::move(records)) {}
  const std::vector<OdbcDiagnostic>& records() const { return records_; }

 private:
  std::vector<OdbcDiagnostic> records_;
};

class OdbcEnvironment {
 public:
  OdbcEnvironment();  // throws OdbcFailure
  ~OdbcEnvironment();
  OdbcEnvironment(const OdbcEnvironment&) = delete;
  OdbcEnvironment& operator=(const OdbcEnvironment&) = delete;
  SQLHENV get() const { return env_; }

 private:
  SQLHENV env_ = SQL_NULL_HENV;
};

// One connection handle; disconnects and frees itself.
class OdbcConnection {
 public:
  explicit OdbcConnection(OdbcEnvironment& env);
  ~OdbcConnection();
  OdbcConnection(const OdbcConnection&) = delete;
  OdbcConnection& operator=(const OdbcConnection&) = delete;

  // SQLDriverConnect, no prompt. Throws OdbcFailure with the records.
  void connect(const std::string& connection_string);
  void disconnect();
  // A 32-bit integer connection attribute, or nullopt with the records
  // the driver gave when it does not know the attribute.
  std::optional<SQLUINTEGER> integer_attribute(SQLINTEGER attribute,
                                               std::vector<OdbcDiagnostic>* why = nullptr);
  // Runs a statement and returns the first column of the first row as text
  // ("(no rows)" or "NULL" when there is none). Throws OdbcFailure.
  std::string first_value(const std::string& sql);

 private:
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
};

std::vector<OdbcDiagnostic> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

}  // namespace odbcpool::cli
