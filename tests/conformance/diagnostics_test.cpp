// Errors and warnings: SQLSTATE, native code and message text through
// SQLGetDiagRec and SQLGetDiagField, A and W, on statement and connection
// handles.
#include <vector>

#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Diagnostics);

void RecordDiagRecW(Session& s, SQLSMALLINT type, SQLHANDLE handle) {
  for (SQLSMALLINT i = 1;; ++i) {
    SQLWCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLWCHAR message[1024] = {};
    SQLSMALLINT length = 0;
    const SQLRETURN rc = SQLGetDiagRecW(type, handle, i, state, &native, message, 1024, &length);
    if (!SQL_SUCCEEDED(rc)) {
      s.Log("  W rec " + std::to_string(i) + " -> " + RcName(rc));
      break;
    }
    s.Log("  W rec " + std::to_string(i) + ": " + FromWide(state, 5) +
          " native=" + std::to_string(native) + " len=" + std::to_string(length) + " " +
          Quote(FromWide(message, length < 1024 ? length : 1023)));
  }
}

void RecordDiagFields(Session& s, SQLSMALLINT type, SQLHANDLE handle, bool wide) {
  const char* tag = wide ? "  W field " : "  A field ";
  SQLINTEGER count = -1;
  SQLRETURN rc = wide ? SQLGetDiagFieldW(type, handle, 0, SQL_DIAG_NUMBER, &count, 0, nullptr)
                      : SQLGetDiagField(type, handle, 0, SQL_DIAG_NUMBER, &count, 0, nullptr);
  s.Log(std::string(tag) + "NUMBER -> " + RcName(rc) + " " + std::to_string(count));
  SQLRETURN returncode = -99;
  rc = wide ? SQLGetDiagFieldW(type, handle, 0, SQL_DIAG_RETURNCODE, &returncode, 0, nullptr)
            : SQLGetDiagField(type, handle, 0, SQL_DIAG_RETURNCODE, &returncode, 0, nullptr);
  s.Log(std::string(tag) + "RETURNCODE -> " + RcName(rc) + " " + std::to_string(returncode));
  if (type == SQL_HANDLE_STMT) {
    SQLLEN row_count = -99;
    rc = wide ? SQLGetDiagFieldW(type, handle, 0, SQL_DIAG_ROW_COUNT, &row_count, 0, nullptr)
              : SQLGetDiagField(type, handle, 0, SQL_DIAG_ROW_COUNT, &row_count, 0, nullptr);
    s.Log(std::string(tag) + "ROW_COUNT -> " + RcName(rc) + " " + std::to_string(row_count));
    SQLINTEGER function_code = -99;
    rc = wide ? SQLGetDiagFieldW(type, handle, 0, SQL_DIAG_DYNAMIC_FUNCTION_CODE, &function_code, 0,
                                 nullptr)
              : SQLGetDiagField(type, handle, 0, SQL_DIAG_DYNAMIC_FUNCTION_CODE, &function_code, 0,
                                nullptr);
    s.Log(std::string(tag) + "DYNAMIC_FUNCTION_CODE -> " + RcName(rc) + " " +
          std::to_string(function_code));
  }
  const struct {
    SQLSMALLINT id;
    const char* name;
  } text_fields[] = {{SQL_DIAG_SQLSTATE, "SQLSTATE"},
                     {SQL_DIAG_MESSAGE_TEXT, "MESSAGE_TEXT"},
                     {SQL_DIAG_CLASS_ORIGIN, "CLASS_ORIGIN"},
                     {SQL_DIAG_SUBCLASS_ORIGIN, "SUBCLASS_ORIGIN"},
                     {SQL_DIAG_CONNECTION_NAME, "CONNECTION_NAME"},
                     {SQL_DIAG_SERVER_NAME, "SERVER_NAME"}};
  for (SQLSMALLINT record = 1; record <= count && record <= 3; ++record) {
    for (const auto& field : text_fields) {
      SQLSMALLINT length = -1;
      std::string value;
      if (wide) {
        SQLWCHAR buffer[1024] = {};
        rc = SQLGetDiagFieldW(type, handle, record, field.id, buffer, sizeof buffer, &length);
        if (SQL_SUCCEEDED(rc)) {
          value = FromWide(buffer, length >= 0 && length < 2000 ? length / sizeof(SQLWCHAR) : 0);
        }
      } else {
        char buffer[1024] = {};
        rc = SQLGetDiagField(type, handle, record, field.id, buffer, sizeof buffer, &length);
        value = buffer;
      }
      s.Log(std::string(tag) + std::to_string(record) + " " + field.name + " -> " + RcName(rc) +
            " len=" + std::to_string(length) + " " + Quote(value));
    }
    SQLINTEGER native = -99;
    rc = wide ? SQLGetDiagFieldW(type, handle, record, SQL_DIAG_NATIVE, &native, 0, nullptr)
              : SQLGetDiagField(type, handle, record, SQL_DIAG_NATIVE, &native, 0, nullptr);
    s.Log(std::string(tag) + std::to_string(record) + " NATIVE -> " + RcName(rc) + " " +
          std::to_string(native));
    if (type == SQL_HANDLE_STMT) {
      SQLLEN row = -99;
      rc = wide ? SQLGetDiagFieldW(type, handle, record, SQL_DIAG_ROW_NUMBER, &row, 0, nullptr)
                : SQLGetDiagField(type, handle, record, SQL_DIAG_ROW_NUMBER, &row, 0, nullptr);
      // The SQLite driver (0.9998) answers SQL_DIAG_ROW_NUMBER and
      // SQL_DIAG_COLUMN_NUMBER from uninitialised memory: a different
      // number every time.
      const bool meaningful = !s.IsSqlite();
      s.Log(std::string(tag) + std::to_string(record) + " ROW_NUMBER -> " + RcName(rc) + " " +
            (meaningful ? std::to_string(row) : "<not comparable>"));
      SQLINTEGER column = -99;
      rc = wide
               ? SQLGetDiagFieldW(type, handle, record, SQL_DIAG_COLUMN_NUMBER, &column, 0, nullptr)
               : SQLGetDiagField(type, handle, record, SQL_DIAG_COLUMN_NUMBER, &column, 0, nullptr);
      s.Log(std::string(tag) + std::to_string(record) + " COLUMN_NUMBER -> " + RcName(rc) + " " +
            (meaningful ? std::to_string(column) : "<not comparable>"));
    }
  }
}

// Everything about the diagnostics the last call left on `stmt`.
void RecordAll(Session& s, SQLHSTMT stmt) {
  RecordDiagRecW(s, SQL_HANDLE_STMT, stmt);
  RecordDiagFields(s, SQL_HANDLE_STMT, stmt, false);
  RecordDiagFields(s, SQL_HANDLE_STMT, stmt, true);
  // A message buffer too small: truncated, SQL_SUCCESS_WITH_INFO, full length.
  SQLCHAR state[6] = {};
  SQLINTEGER native = 0;
  SQLCHAR small[8] = {};
  SQLSMALLINT length = -1;
  const SQLRETURN rc = SQLGetDiagRec(SQL_HANDLE_STMT, stmt, 1, state, &native, small, 8, &length);
  s.Log("  A rec 1 into 8 bytes -> " + RcName(rc) + " len=" + std::to_string(length) + " " +
        Quote(reinterpret_cast<char*>(small)));
  SQLWCHAR wsmall[8] = {};
  length = -1;
  const SQLRETURN wrc =
      SQLGetDiagRecW(SQL_HANDLE_STMT, stmt, 1, nullptr, &native, wsmall, 8, &length);
  s.Log("  W rec 1 into 8 chars -> " + RcName(wrc) + " len=" + std::to_string(length) + " " +
        Quote(FromWide(wsmall, 7)));
  // Record 0 and negative records are invalid: SQL_ERROR (or SQL_NO_DATA).
  s.Log("  A rec 0 -> " +
        RcName(SQLGetDiagRec(SQL_HANDLE_STMT, stmt, 0, state, &native, small, 8, &length)));
}

TEST_P(Diagnostics, StatementErrors) {
  const Lines lines = RunBothExcept(SqliteTarget, [](Session& s) {
    const std::string t = s.Table("diag");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, v VARCHAR(5) NOT NULL)",
                "INSERT INTO " + t + " VALUES (1, 'a')"});
    Statement stmt(s);
    const std::string failing[] = {
        "SELEC 1",                                      // syntax error
        "SELECT nosuchcolumn FROM " + t,                // unknown column
        "SELECT * FROM conf_nosuch_table",              // unknown table
        "INSERT INTO " + t + " VALUES (1, 'b')",        // duplicate key
        "INSERT INTO " + t + " VALUES (2, NULL)",       // not null
        "SELECT * FROM conf_tabl\xc3\xa9_inexistante",  // non-ASCII in the message
    };
    for (const std::string& sql : failing) {
      Exec(s, stmt, sql);
      RecordAll(s, stmt);
      SQLFreeStmt(stmt, SQL_CLOSE);
    }
    // A successful call clears the records.
    Exec(s, stmt, "SELECT 1");
    RecordDiagFields(s, SQL_HANDLE_STMT, stmt, false);
    SQLFreeStmt(stmt, SQL_CLOSE);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLineContaining(lines, "conf_nosuch_table"));
  EXPECT_TRUE(HasLineContaining(lines, "  W rec 1: "));
  EXPECT_TRUE(HasLineContaining(lines, "  A field NUMBER -> SQL_SUCCESS 1"));
  // The SQLite driver's own prefix, which only SQLError gives, survives.
  if (GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: " + GetParam().State("HY000") +
                                             " native=1 len=38 '[SQLite]near \"SELEC\""));
  }
  if (GetParam().IsPostgres()) {
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: 42601 "));
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: 23505 "));
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: 23502 "));
    EXPECT_TRUE(HasLineContaining(lines, "  W rec 1: 42P01 native=1 "));
  }
  if (GetParam().IsMariadb()) {
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: " + GetParam().State("42000") + " native=1064 "));
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: " + GetParam().State("42S22") + " native=1054 "));
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: 23000 native=1062 "));
    EXPECT_TRUE(HasLineContaining(lines, "diag 1: 23000 native=1048 "));
    EXPECT_TRUE(
        HasLineContaining(lines, "  W rec 1: " + GetParam().State("42S02") + " native=1146 "));
  }
}

TEST_P(Diagnostics, WarningsAndHandleErrors) {
  const Lines lines = RunBothExcept(SqliteTarget, [](Session& s) {
    Statement stmt(s);
    // Truncation warning (01004) from SQLGetData.
    Exec(s, stmt, "SELECT 'abcdefghijklmnopqrstuvwxyz'");
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    char small[5];
    SQLLEN indicator = 0;
    s.Stmt("SQLGetData into 5 bytes",
           SQLGetData(stmt, 1, SQL_C_CHAR, small, sizeof small, &indicator), stmt);
    s.Log("  ind=" + std::to_string(indicator) + " " + Quote(small));
    RecordAll(s, stmt);
    SQLFreeStmt(stmt, SQL_CLOSE);
    // Function sequence error raised by the Driver Manager.
    s.Stmt("SQLFetch without a result", SQLFetch(stmt), stmt);
    RecordAll(s, stmt);
    // Invalid attribute on the connection.
    SQLINTEGER value = 0;
    s.Dbc("SQLGetConnectAttr(bad attribute)",
          SQLGetConnectAttr(s.dbc(), 99999, &value, sizeof value, nullptr));
    RecordDiagRecW(s, SQL_HANDLE_DBC, s.dbc());
    RecordDiagFields(s, SQL_HANDLE_DBC, s.dbc(), false);
    RecordDiagFields(s, SQL_HANDLE_DBC, s.dbc(), true);
    s.Dbc(
        "SQLSetConnectAttr(TXN_ISOLATION, bad value)",
        SQLSetConnectAttr(s.dbc(), SQL_ATTR_TXN_ISOLATION, reinterpret_cast<SQLPOINTER>(12345), 0));
    s.Stmt("SQLSetStmtAttr(bad attribute)",
           SQLSetStmtAttr(stmt, 99999, reinterpret_cast<SQLPOINTER>(1), 0), stmt);
    // Diagnostics of the environment handle: none after a good call.
    SQLINTEGER count = -1;
    const SQLRETURN rc =
        SQLGetDiagField(SQL_HANDLE_ENV, s.env(), 0, SQL_DIAG_NUMBER, &count, 0, nullptr);
    s.Log("env NUMBER -> " + RcName(rc) + " " + std::to_string(count));
  });
  EXPECT_TRUE(HasLineContaining(lines, "  ind=26 'abcd'"));
  EXPECT_TRUE(HasLineContaining(lines, GetParam().State("HY010")));
}

}  // namespace
}  // namespace conformance
