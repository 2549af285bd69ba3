#include "odbc_client.h"

#include <algorithm>

namespace odbcpool::cli {

namespace {

void require(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle, const std::string& what) {
  if (!SQL_SUCCEEDED(rc)) throw OdbcFailure(what, diagnostics(type, handle));
}

// Frees a statement on every path out of first_value().
class Statement {
 public:
  explicit Statement(SQLHDBC dbc) {
    require(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt_), SQL_HANDLE_DBC, dbc,
            "SQLAllocHandle(SQL_HANDLE_STMT)");
  }
  ~Statement() { SQLFreeHandle(SQL_HANDLE_STMT, stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  SQLHSTMT get() const { return stmt_; }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

}  // namespace

std::vector<OdbcDiagnostic> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  std::vector<OdbcDiagnostic> records;
  for (SQLSMALLINT i = 1; handle != SQL_NULL_HANDLE; ++i) {
    SQLCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    std::vector<SQLCHAR> message(1024);
    SQLRETURN rc = SQLGetDiagRec(handle_type, handle, i, state, &native, message.data(),
                                 static_cast<SQLSMALLINT>(message.size()), &length);
    if (rc == SQL_SUCCESS_WITH_INFO && length >= static_cast<SQLSMALLINT>(message.size())) {
      // Never 32768: a SQLSMALLINT cannot describe it (and the Driver
      // Manager reports at most 32767).
      message.resize(std::min<std::size_t>(static_cast<std::size_t>(length) + 1, 32767));
      rc = SQLGetDiagRec(handle_type, handle, i, state, &native, message.data(),
                         static_cast<SQLSMALLINT>(message.size()), &length);
    }
    if (!SQL_SUCCEEDED(rc)) break;
    records.push_back({reinterpret_cast<const char*>(state), native,
                       reinterpret_cast<const char*>(message.data())});
  }
  return records;
}

std::string describe(const std::vector<OdbcDiagnostic>& records) {
  if (records.empty()) return "no diagnostic record";
  std::string text;
  for (const OdbcDiagnostic& r : records) {
    if (!text.empty()) text += "; ";
    text += "[" + r.sqlstate + "] " + r.message;
  }
  return text;
}

OdbcEnvironment::OdbcEnvironment() {
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_))) {
    throw OdbcFailure("cannot allocate an ODBC environment (is unixODBC installed?)", {});
  }
  require(SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0),
          SQL_HANDLE_ENV, env_, "SQLSetEnvAttr(SQL_ATTR_ODBC_VERSION)");
}

OdbcEnvironment::~OdbcEnvironment() {
  SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

OdbcConnection::OdbcConnection(OdbcEnvironment& env) {
  require(SQLAllocHandle(SQL_HANDLE_DBC, env.get(), &dbc_), SQL_HANDLE_ENV, env.get(),
          "SQLAllocHandle(SQL_HANDLE_DBC)");
}

OdbcConnection::~OdbcConnection() {
  if (connected_) SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
}

void OdbcConnection::connect(const std::string& connection_string) {
  std::vector<SQLCHAR> text(connection_string.begin(), connection_string.end());
  text.push_back('\0');
  SQLCHAR out[1024];
  SQLSMALLINT out_length = 0;
  const SQLRETURN rc = SQLDriverConnect(dbc_, nullptr, text.data(), SQL_NTS, out, sizeof out,
                                        &out_length, SQL_DRIVER_NOPROMPT);
  require(rc, SQL_HANDLE_DBC, dbc_, "SQLDriverConnect");
  connected_ = true;
}

void OdbcConnection::disconnect() {
  if (!connected_) return;
  connected_ = false;
  require(SQLDisconnect(dbc_), SQL_HANDLE_DBC, dbc_, "SQLDisconnect");
}

std::optional<SQLUINTEGER> OdbcConnection::integer_attribute(SQLINTEGER attribute,
                                                             std::vector<OdbcDiagnostic>* why) {
  SQLUINTEGER value = 0;
  SQLINTEGER length = 0;
  const SQLRETURN rc = SQLGetConnectAttr(dbc_, attribute, &value, sizeof value, &length);
  if (!SQL_SUCCEEDED(rc)) {
    if (why != nullptr) *why = diagnostics(SQL_HANDLE_DBC, dbc_);
    return std::nullopt;
  }
  return value;
}

std::string OdbcConnection::first_value(const std::string& sql) {
  Statement stmt(dbc_);
  std::vector<SQLCHAR> text(sql.begin(), sql.end());
  text.push_back('\0');
  require(SQLExecDirect(stmt.get(), text.data(), SQL_NTS), SQL_HANDLE_STMT, stmt.get(),
          "SQLExecDirect");
  SQLSMALLINT columns = 0;
  require(SQLNumResultCols(stmt.get(), &columns), SQL_HANDLE_STMT, stmt.get(), "SQLNumResultCols");
  if (columns == 0) return "(no result set)";
  const SQLRETURN fetched = SQLFetch(stmt.get());
  if (fetched == SQL_NO_DATA) return "(no rows)";
  require(fetched, SQL_HANDLE_STMT, stmt.get(), "SQLFetch");
  char value[256] = {};
  SQLLEN indicator = 0;
  require(SQLGetData(stmt.get(), 1, SQL_C_CHAR, value, sizeof value, &indicator), SQL_HANDLE_STMT,
          stmt.get(), "SQLGetData");
  if (indicator == SQL_NULL_DATA) return "NULL";
  return value;
}

}  // namespace odbcpool::cli
