#include "session.h"

#include <cstring>
#include <vector>

namespace conformance {

std::string Session::Table(std::string_view base) const {
  return "conf_" + std::string(base) + "_" + target_.tag + SideToken();
}

SQLRETURN Session::Check(std::string_view call, SQLRETURN rc, SQLSMALLINT handle_type,
                         SQLHANDLE handle) {
  Log(std::string(call) + " -> " + RcName(rc));
  if (rc == SQL_SUCCESS_WITH_INFO || rc == SQL_ERROR) Diagnostics(handle_type, handle);
  return rc;
}

void Session::Diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {};
    SQLINTEGER native = 0;
    std::vector<SQLCHAR> message(4096);
    SQLSMALLINT length = 0;
    const SQLRETURN rc = SQLGetDiagRec(handle_type, handle, i, state, &native, message.data(),
                                       static_cast<SQLSMALLINT>(message.size()), &length);
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc)) {
      Log("  diag " + std::to_string(i) + ": SQLGetDiagRec -> " + RcName(rc));
      break;
    }
    // "Driver does not support this function" comes from the Driver Manager
    // on the direct side and from odbcpool through the pool, each in its own
    // words: only the SQLSTATE is compared.
    if (std::string(reinterpret_cast<char*>(state)) == "IM001") {
      Log("  diag " + std::to_string(i) + ": IM001 (function not supported)");
      continue;
    }
    Log("  diag " + std::to_string(i) + ": " + reinterpret_cast<char*>(state) +
        " native=" + std::to_string(native) + " len=" + std::to_string(length) + " " +
        Quote(reinterpret_cast<char*>(message.data())));
  }
}

Statement::Statement(Session& session) : session_(session) {
  session_.Dbc("SQLAllocHandle(STMT)", SQLAllocHandle(SQL_HANDLE_STMT, session_.dbc(), &stmt_));
}

Statement::~Statement() {
  if (stmt_ != SQL_NULL_HSTMT) {
    session_.Check("SQLFreeHandle(STMT)", SQLFreeHandle(SQL_HANDLE_STMT, stmt_), SQL_HANDLE_DBC,
                   session_.dbc());
  }
}

SQLRETURN Exec(Session& s, SQLHSTMT stmt, std::string_view sql) {
  std::string text(sql);
  return s.Stmt("SQLExecDirect " + Quote(text),
                SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(text.data()), SQL_NTS), stmt);
}

void ExecAll(Session& s, std::initializer_list<std::string> sqls) {
  Statement stmt(s);
  for (const std::string& sql : sqls) {
    Exec(s, stmt, sql);
    SQLFreeStmt(stmt, SQL_CLOSE);
  }
}

void DropTable(Session& s, const std::string& name) {
  // Not recorded: whether the table was there (left by an aborted earlier
  // run) is not something the two sides must agree on.
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, s.dbc(), &stmt))) return;
  std::string sql = "DROP TABLE IF EXISTS " + name;
  SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
}

std::string GetCharColumn(Session& s, SQLHSTMT stmt, SQLUSMALLINT column) {
  std::string value;
  for (int part = 0; part < 4096; ++part) {
    char buffer[1024];
    SQLLEN indicator = 0;
    const SQLRETURN rc = SQLGetData(stmt, column, SQL_C_CHAR, buffer, sizeof buffer, &indicator);
    if (rc == SQL_NO_DATA && part > 0) break;
    if (!SQL_SUCCEEDED(rc)) {
      s.Stmt("SQLGetData(" + std::to_string(column) + ", SQL_C_CHAR)", rc, stmt);
      return value + "<" + RcName(rc) + ">";
    }
    if (indicator == SQL_NULL_DATA) return "NULL";
    const bool truncated =
        indicator == SQL_NO_TOTAL || indicator >= static_cast<SQLLEN>(sizeof buffer);
    // strnlen rather than sizeof - 1: a driver may stop short of a split
    // multi-byte character.
    value.append(buffer,
                 truncated ? strnlen(buffer, sizeof buffer) : static_cast<size_t>(indicator));
    if (!truncated) break;
  }
  return Quote(value);
}

void DumpResultSet(Session& s, SQLHSTMT stmt) {
  SQLSMALLINT columns = 0;
  s.Stmt("SQLNumResultCols", SQLNumResultCols(stmt, &columns), stmt);
  s.Log("  columns=" + std::to_string(columns));
  std::vector<bool> masked(columns + 1, false);
  for (SQLUSMALLINT c = 1; c <= columns; ++c) {
    SQLCHAR name[256] = {};
    SQLSMALLINT name_length = 0;
    SQLSMALLINT type = 0;
    SQLULEN size = 0;
    SQLSMALLINT digits = 0;
    SQLSMALLINT nullable = 0;
    const SQLRETURN rc =
        SQLDescribeCol(stmt, c, name, sizeof name, &name_length, &type, &size, &digits, &nullable);
    if (!SQL_SUCCEEDED(rc)) {
      s.Stmt("SQLDescribeCol(" + std::to_string(c) + ")", rc, stmt);
      continue;
    }
    // psqlODBC's SQLColumns adds the table's pg_class oid, which is new for
    // every CREATE TABLE and so differs between the two runs by nature.
    masked[c] = std::string(reinterpret_cast<char*>(name)) == "TABLE OID";
    s.Log("  col " + std::to_string(c) + ": " + Quote(reinterpret_cast<char*>(name)) +
          " type=" + std::to_string(type) + " size=" + std::to_string(size) +
          " digits=" + std::to_string(digits) + " nullable=" + std::to_string(nullable));
  }
  if (columns == 0) return;
  for (int row = 1;; ++row) {
    if (row > kMaxRows) {
      s.Log("  stopped after " + std::to_string(kMaxRows) + " rows");
      break;
    }
    const SQLRETURN rc = SQLFetch(stmt);
    if (rc == SQL_NO_DATA) {
      s.Log("  SQLFetch -> SQL_NO_DATA after " + std::to_string(row - 1) + " rows");
      break;
    }
    if (!SQL_SUCCEEDED(rc)) {
      s.Stmt("  SQLFetch", rc, stmt);
      break;
    }
    if (rc != SQL_SUCCESS) s.Stmt("  SQLFetch", rc, stmt);
    std::string line = "  row " + std::to_string(row) + ":";
    for (SQLUSMALLINT c = 1; c <= columns; ++c) {
      const std::string value = GetCharColumn(s, stmt, c);
      line += " " + (masked[c] ? std::string("<masked>") : value);
    }
    s.Log(line);
  }
}

void DumpAllResults(Session& s, SQLHSTMT stmt) {
  for (int result = 1; result <= 100; ++result) {
    s.Log("result " + std::to_string(result));
    DumpResultSet(s, stmt);
    SQLLEN rows = 0;
    s.Stmt("SQLRowCount", SQLRowCount(stmt, &rows), stmt);
    s.Log("  rowcount=" + std::to_string(rows));
    const SQLRETURN rc = s.Stmt("SQLMoreResults", SQLMoreResults(stmt), stmt);
    if (!SQL_SUCCEEDED(rc)) break;
  }
}

}  // namespace conformance
