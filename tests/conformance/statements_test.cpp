// Statement odds and ends: SQLNativeSql, cursor names, SQLCancel on an idle
// statement, SQLRowCount on a query, statement attributes, parameter
// descriptions.
#include <cstring>
#include <regex>
#include <vector>

#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Statements);

// The SQLite driver's SQLNativeSql (0.9998) writes a NUL into the *input*
// at offset BufferLength - 1 (sqlin[sqlMax - 1] = '\0'), past the end of a
// short input: a heap overwrite, in our memory or in the Driver Manager's
// copy for the W call. Output buffers here are therefore never longer than
// input + 1, which every driver must handle anyway (with 01004 when the
// translation is longer). The same driver does not terminate a truncated
// output, and the Driver Manager's W-to-A wrapper then converts past the
// end of it into our W buffer: that buffer gets generous padding, and only
// the part we asked for is read.
void RecordNativeSql(Session& s, const std::string& label, std::string input, SQLINTEGER in_length,
                     SQLINTEGER out_chars) {
  std::vector<char> out(static_cast<size_t>(out_chars) + 1, '\0');
  SQLINTEGER length = -1;
  s.Dbc("SQLNativeSql " + label + " out=" + std::to_string(out_chars),
        SQLNativeSql(s.dbc(), reinterpret_cast<SQLCHAR*>(input.data()), in_length,
                     reinterpret_cast<SQLCHAR*>(out.data()), out_chars, &length));
  s.Log("  len=" + std::to_string(length) + " " +
        Quote(std::string(out.data(), strnlen(out.data(), out_chars))));
  WString win = ToWide(input);
  std::vector<SQLWCHAR> wout(static_cast<size_t>(out_chars) + 4096, 0);
  length = -1;
  s.Dbc("SQLNativeSqlW " + label + " out=" + std::to_string(out_chars),
        SQLNativeSqlW(s.dbc(), win.data(), in_length, wout.data(), out_chars, &length));
  // Only what the driver reports as returned: past it, this driver pair
  // leaves whatever was in memory.
  size_t units = 0;
  while (units < static_cast<size_t>(out_chars - 1) && units < static_cast<size_t>(length) &&
         wout[units] != 0) {
    ++units;
  }
  s.Log("  len=" + std::to_string(length) + " " + Quote(FromWide(wout.data(), units)));
}

TEST_P(Statements, NativeSqlAnsiAndWide) {
  const Lines direct = RunBothExcept(AnsiOnlyTarget, [](Session& s) {
    const char* inputs[] = {
        "SELECT {fn UCASE('abc')}",         "SELECT {d '2024-02-29'}, {ts '2024-02-29 13:14:15'}",
        "{call conf_proc(?, ?)}",           "SELECT * FROM t WHERE a LIKE 'x\\_%' {escape '\\'}",
        "SELECT 'caf\xc3\xa9' WHERE 1 = ?",
    };
    for (const char* input : inputs) {
      RecordNativeSql(s, Quote(input), input, SQL_NTS,
                      static_cast<SQLINTEGER>(ToWide(input).size() + 1));
    }
    // Truncation: an output of 8 characters; an explicit input length of 8.
    RecordNativeSql(s, "truncated", "SELECT {fn UCASE('abc')}", SQL_NTS, 8);
    RecordNativeSql(s, "input length 8", "SELECT {fn UCASE('abc')}", 8, 9);
  });
  EXPECT_TRUE(
      HasLineContaining(direct, "SQLNativeSql 'SELECT {fn UCASE('abc')}' out=25 -> SQL_SUCCESS"));
  if (!GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLine(direct, "  len=8 'SELECT {'"));
  }
}

// Generated cursor names embed a handle address, which differs between any
// two runs: "CUR_<16 hex digits>" from the Driver Manager (for drivers
// without SQLSetCursorName), "SQL_CUR<hex>" from some drivers. Only the
// address is normalised.
std::string NormaliseCursorName(const std::string& name) {
  return std::regex_replace(name, std::regex("^(SQL_CUR|CUR_)(0x)?[0-9a-fA-F]{6,}$"),
                            "$1<address>");
}

TEST_P(Statements, CursorNames) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    char name[64] = {};
    SQLSMALLINT length = -1;
    s.Stmt("SQLGetCursorName (generated)",
           SQLGetCursorName(stmt, reinterpret_cast<SQLCHAR*>(name), sizeof name, &length), stmt);
    s.Log("  name=" + Quote(NormaliseCursorName(name)) +
          " len matches: " + (length == static_cast<SQLSMALLINT>(strlen(name)) ? "yes" : "no"));
    std::string wanted = "conf_cursor";
    s.Stmt("SQLSetCursorName",
           SQLSetCursorName(stmt, reinterpret_cast<SQLCHAR*>(wanted.data()), SQL_NTS), stmt);
    s.Stmt("SQLGetCursorName",
           SQLGetCursorName(stmt, reinterpret_cast<SQLCHAR*>(name), sizeof name, &length), stmt);
    s.Log("  name=" + Quote(NormaliseCursorName(name)) + " len=" + std::to_string(length));
    SQLWCHAR wname[64] = {};
    s.Stmt("SQLGetCursorNameW", SQLGetCursorNameW(stmt, wname, 64, &length), stmt);
    s.Log("  name=" +
          Quote(NormaliseCursorName(FromWide(wname, length >= 0 && length < 64 ? length : 0))) +
          " len=" + std::to_string(length));
    char small[5] = {};
    s.Stmt("SQLGetCursorName into 5 bytes",
           SQLGetCursorName(stmt, reinterpret_cast<SQLCHAR*>(small), sizeof small, &length), stmt);
    s.Log("  name=" + Quote(small) + " len=" + std::to_string(length));
    WString wide = ToWide("conf_cursor_w");
    s.Stmt("SQLSetCursorNameW", SQLSetCursorNameW(stmt, wide.data(), SQL_NTS), stmt);
    s.Stmt("SQLGetCursorName",
           SQLGetCursorName(stmt, reinterpret_cast<SQLCHAR*>(name), sizeof name, &length), stmt);
    s.Log("  name=" + Quote(NormaliseCursorName(name)) + " len=" + std::to_string(length));
    // A second statement may not take the same name: 3C000.
    Statement other(s);
    s.Stmt("SQLSetCursorName duplicate",
           SQLSetCursorName(other, reinterpret_cast<SQLCHAR*>(name), SQL_NTS), other);
    std::string invalid = "SQLCUR_bad";
    s.Stmt("SQLSetCursorName reserved prefix",
           SQLSetCursorName(other, reinterpret_cast<SQLCHAR*>(invalid.data()), SQL_NTS), other);
  });
  if (!GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLine(direct, "  name='conf_cursor' len=11"));
    EXPECT_TRUE(HasLine(direct, "  name='conf_cursor_w' len=13"));
  } else {
    // No SQLSetCursorName in the SQLite driver: the Driver Manager names the cursor.
    EXPECT_TRUE(HasLine(direct, "  name='CUR_<address>' len=20"));
  }
}

TEST_P(Statements, CancelRowCountAndAttributes) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    s.Stmt("SQLCancel on a fresh statement", SQLCancel(stmt), stmt);
    s.Stmt("SQLCancelHandle(STMT) on a fresh statement", SQLCancelHandle(SQL_HANDLE_STMT, stmt),
           stmt);
    Exec(s, stmt, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3");
    SQLLEN rows = -99;
    s.Stmt("SQLRowCount on a query", SQLRowCount(stmt, &rows), stmt);
    s.Log("  rowcount=" + std::to_string(rows));
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    s.Stmt("SQLCancel with an open cursor", SQLCancel(stmt), stmt);
    s.Stmt("SQLFetch after cancel", SQLFetch(stmt), stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLCancel after close", SQLCancel(stmt), stmt);
    s.Stmt("SQLFreeStmt(99)", SQLFreeStmt(stmt, 99), stmt);

    const struct {
      SQLINTEGER id;
      const char* name;
    } attributes[] = {{SQL_ATTR_QUERY_TIMEOUT, "QUERY_TIMEOUT"},
                      {SQL_ATTR_MAX_ROWS, "MAX_ROWS"},
                      {SQL_ATTR_MAX_LENGTH, "MAX_LENGTH"},
                      {SQL_ATTR_CURSOR_TYPE, "CURSOR_TYPE"},
                      {SQL_ATTR_CONCURRENCY, "CONCURRENCY"},
                      {SQL_ATTR_CURSOR_SCROLLABLE, "CURSOR_SCROLLABLE"},
                      {SQL_ATTR_CURSOR_SENSITIVITY, "CURSOR_SENSITIVITY"},
                      {SQL_ATTR_ROW_ARRAY_SIZE, "ROW_ARRAY_SIZE"},
                      {SQL_ATTR_PARAMSET_SIZE, "PARAMSET_SIZE"},
                      {SQL_ATTR_NOSCAN, "NOSCAN"},
                      {SQL_ATTR_RETRIEVE_DATA, "RETRIEVE_DATA"},
                      {SQL_ATTR_USE_BOOKMARKS, "USE_BOOKMARKS"},
                      {SQL_ATTR_METADATA_ID, "METADATA_ID"},
                      {SQL_ATTR_ENABLE_AUTO_IPD, "ENABLE_AUTO_IPD"},
                      {SQL_ATTR_ASYNC_ENABLE, "ASYNC_ENABLE"}};
    for (const auto& attribute : attributes) {
      SQLULEN value = 0xDEAD;
      s.Stmt(std::string("SQLGetStmtAttr(") + attribute.name + ")",
             SQLGetStmtAttr(stmt, attribute.id, &value, 0, nullptr), stmt);
      s.Log("  value=" + std::to_string(value));
    }
    s.Stmt("SQLSetStmtAttr(MAX_ROWS, 2)",
           SQLSetStmtAttr(stmt, SQL_ATTR_MAX_ROWS, reinterpret_cast<SQLPOINTER>(2), 0), stmt);
    s.Stmt("SQLSetStmtAttr(QUERY_TIMEOUT, 30)",
           SQLSetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT, reinterpret_cast<SQLPOINTER>(30), 0), stmt);
    SQLULEN value = 0;
    s.Stmt("SQLGetStmtAttr(QUERY_TIMEOUT)",
           SQLGetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT, &value, 0, nullptr), stmt);
    s.Log("  value=" + std::to_string(value));
    Exec(s, stmt, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3");
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    // ODBC 2 names for the same settings.
    SQLULEN option = 0;
    s.Stmt("SQLGetStmtOption(MAX_ROWS)", SQLGetStmtOption(stmt, SQL_MAX_ROWS, &option), stmt);
    s.Log("  value=" + std::to_string(option));
  });
  EXPECT_TRUE(HasLine(direct, "SQLCancel on a fresh statement -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "  SQLFetch -> SQL_NO_DATA after 2 rows"));
}

TEST_P(Statements, DescribeParameters) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("describe_param");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER, name VARCHAR(30), amount NUMERIC(8,2))"});
    Statement stmt(s);
    std::string sql = "INSERT INTO " + t + " VALUES (?, ?, ?)";
    s.Stmt("SQLPrepare", SQLPrepare(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS), stmt);
    SQLSMALLINT count = -1;
    s.Stmt("SQLNumParams", SQLNumParams(stmt, &count), stmt);
    s.Log("  params=" + std::to_string(count));
    for (SQLUSMALLINT p = 1; p <= 4; ++p) {
      SQLSMALLINT type = -1;
      SQLULEN size = 0;
      SQLSMALLINT digits = -1;
      SQLSMALLINT nullable = -1;
      const SQLRETURN rc =
          s.Stmt("SQLDescribeParam(" + std::to_string(p) + ")",
                 SQLDescribeParam(stmt, p, &type, &size, &digits, &nullable), stmt);
      if (SQL_SUCCEEDED(rc)) {
        s.Log("  type=" + std::to_string(type) + " size=" + std::to_string(size) +
              " digits=" + std::to_string(digits) + " nullable=" + std::to_string(nullable));
      }
    }
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  params=3"));
}

}  // namespace
}  // namespace conformance
