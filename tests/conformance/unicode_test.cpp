// Non-ASCII text through the A and W entry points: accents, CJK and a
// character outside the BMP (U+1F600, a surrogate pair in UTF-16), as data
// (SQL_C_CHAR and SQL_C_WCHAR) and as SQL text (SQLExecDirectW, SQLPrepareW).
#include <algorithm>
#include <vector>

#include "conformance_fixture.h"
#include "values.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Unicode);

// "café naïve 名前 😀"
const std::string kText = "caf\xc3\xa9 na\xc3\xafve \xe5\x90\x8d\xe5\x89\x8d \xf0\x9f\x98\x80";

// For an ANSI-only target (SQLite, psqlODBC ANSI) the Driver Manager
// converts W SQL text to ISO-8859-1 (unixODBC 2.3.11's iconv auto-search
// settles on it) and keeps the low byte of anything beyond: "é" arrives as
// 0xE9, "名" as 0x0D, and the surrogate pair of U+1F600 ends the string.
SQLRETURN ExecW(Session& s, SQLHSTMT stmt, const std::string& sql) {
  WString wide = ToWide(sql);
  return s.Stmt("SQLExecDirectW " + Quote(sql), SQLExecDirectW(stmt, wide.data(), SQL_NTS), stmt);
}

// Reads column 2 of every row as SQL_C_WCHAR and as SQL_C_CHAR (two
// executions, since a column can be read once per row).
void ReadBack(Session& s, const std::string& t) {
  Statement stmt(s);
  for (const SQLSMALLINT c_type : {SQL_C_WCHAR, SQL_C_CHAR}) {
    ExecW(s, stmt, "SELECT id, s FROM " + t + " ORDER BY id");
    for (int row = 0; row < kMaxRows && SQL_SUCCEEDED(s.Stmt("SQLFetch", SQLFetch(stmt), stmt));
         ++row) {
      std::vector<unsigned char> buffer(256, 0);
      SQLLEN indicator = 0;
      SQLINTEGER id = 0;
      SQLGetData(stmt, 1, SQL_C_SLONG, &id, 0, nullptr);
      const SQLRETURN rc =
          s.Stmt("  SQLGetData(" + std::to_string(id) + ", " + CTypeName(c_type) + ")",
                 SQLGetData(stmt, 2, c_type, buffer.data(), 256, &indicator), stmt);
      if (!SQL_SUCCEEDED(rc)) continue;
      std::string value;
      if (c_type == SQL_C_WCHAR) {
        const auto* w = reinterpret_cast<const SQLWCHAR*>(buffer.data());
        size_t units = 0;
        while (w[units] != 0) ++units;
        value = FromWide(w, units);
        s.Log("    ind=" + Indicator(indicator) + " utf16=" + Hex(w, units * sizeof(SQLWCHAR)));
      } else {
        value = reinterpret_cast<const char*>(buffer.data());
        s.Log("    ind=" + Indicator(indicator) + " bytes=" + Hex(value.data(), value.size()));
      }
      s.Log("    id " + std::to_string(id) + " as " + CTypeName(c_type) +
            " equals the text: " + (value == kText ? "yes" : "no"));
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
  }
}

TEST_P(Unicode, AnsiAndWide) {
  const Lines direct = RunBothExcept(AnsiOnlyTarget, [](Session& s) {
    const std::string t = s.Table("unicode");
    DropTable(s, t);
    Statement stmt(s);
    ExecW(s, stmt, "CREATE TABLE " + t + " (id INTEGER, s VARCHAR(100))");
    // 1: literal in SQL text through the W call.
    ExecW(s, stmt, "INSERT INTO " + t + " VALUES (1, '" + kText + "')");
    // 2: SQLPrepareW with a SQL_C_WCHAR parameter.
    WString insert = ToWide("INSERT INTO " + t + " VALUES (?, ?)");
    s.Stmt("SQLPrepareW", SQLPrepareW(stmt, insert.data(), SQL_NTS), stmt);
    SQLINTEGER id = 2;
    WString wide_value = ToWide(kText);
    SQLLEN wide_length = static_cast<SQLLEN>(wide_value.size() * sizeof(SQLWCHAR));
    s.Stmt(
        "SQLBindParameter(1, SLONG)",
        SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, nullptr),
        stmt);
    s.Stmt("SQLBindParameter(2, WCHAR)",
           SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR, 100, 0,
                            wide_value.data(), wide_length, &wide_length),
           stmt);
    s.Stmt("SQLExecute", SQLExecute(stmt), stmt);
    // 3: the same statement with a SQL_C_CHAR (UTF-8) parameter.
    id = 3;
    std::string narrow_value = kText;
    SQLLEN narrow_length = SQL_NTS;
    s.Stmt("SQLBindParameter(2, CHAR)",
           SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 100, 0,
                            narrow_value.data(), 0, &narrow_length),
           stmt);
    s.Stmt("SQLExecute", SQLExecute(stmt), stmt);
    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);
    // 4: literal in SQL text through the A call.
    Exec(s, stmt, "INSERT INTO " + t + " VALUES (4, '" + kText + "')");
    ReadBack(s, t);

    // The text in a WHERE clause, through W and A.
    ExecW(s, stmt, "SELECT COUNT(*) FROM " + t + " WHERE s = '" + kText + "'");
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    Exec(s, stmt, "SELECT COUNT(*) FROM " + t + " WHERE s = '" + kText + "'");
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "    id 3 as SQL_C_CHAR equals the text: yes"));
  EXPECT_TRUE(HasLine(direct, "    id 4 as SQL_C_CHAR equals the text: yes"));
  if (GetParam().wide_driver) {
    EXPECT_TRUE(HasLine(direct, "    id 1 as SQL_C_WCHAR equals the text: yes"));
    EXPECT_TRUE(HasLine(direct, "    id 2 as SQL_C_WCHAR equals the text: yes"));
    EXPECT_TRUE(HasLine(direct, "  row 1: '4'"));
  } else {
    // Through odbcpool the W SQL text reaches the ANSI target as UTF-8: the
    // literal inserted with SQLExecDirectW reads back intact, and the W and
    // A WHERE clauses count the same rows.
    EXPECT_TRUE(HasLine(direct, "    id 1 as SQL_C_CHAR equals the text: yes"));
    EXPECT_FALSE(HasLineContaining(direct, "equals the text: no"));
    // psqlODBC ANSI takes no SQL_C_WCHAR parameter (row 2), SQLite does.
    const std::string rows = GetParam().IsPostgres() ? "3" : "4";
    EXPECT_EQ(std::count(direct.begin(), direct.end(), "  row 1: '" + rows + "'"), 2);
  }
}

// Non-ASCII column labels through SQLDescribeCol and SQLDescribeColW, and a
// lone supplementary character selected through SQLExecDirectW.
TEST_P(Unicode, ColumnNamesAndSurrogates) {
  const Lines direct = RunBothExcept(AnsiOnlyTarget, [](Session& s) {
    Statement stmt(s);
    const std::string label = "na\xc3\xafve_\xe5\x90\x8d";  // naïve_名
    const std::string emoji = "\xf0\x9f\x98\x80";
    ExecW(s, stmt, "SELECT '" + emoji + "' AS \"" + label + "\"");
    SQLWCHAR wname[64] = {};
    SQLSMALLINT wlength = 0;
    SQLSMALLINT type = 0;
    SQLULEN size = 0;
    SQLSMALLINT digits = 0;
    SQLSMALLINT nullable = 0;
    s.Stmt("SQLDescribeColW",
           SQLDescribeColW(stmt, 1, wname, 64, &wlength, &type, &size, &digits, &nullable), stmt);
    s.Log("  name=" + Quote(FromWide(wname, wlength < 64 ? wlength : 0)) +
          " length=" + std::to_string(wlength) + " type=" + std::to_string(type));
    SQLCHAR name[64] = {};
    SQLSMALLINT length = 0;
    s.Stmt("SQLDescribeCol",
           SQLDescribeCol(stmt, 1, name, 64, &length, &type, &size, &digits, &nullable), stmt);
    s.Log("  name=" + Quote(reinterpret_cast<char*>(name)) + " length=" + std::to_string(length));
    // A buffer too small for the name: truncated, with the full length.
    s.Stmt("SQLDescribeColW small",
           SQLDescribeColW(stmt, 1, wname, 3, &wlength, &type, &size, &digits, &nullable), stmt);
    s.Log("  name=" + Quote(FromWide(wname, wlength < 3 ? wlength : 2)) +
          " length=" + std::to_string(wlength));
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    RecordGetData(s, stmt, 1, SQL_C_WCHAR);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    Exec(s, stmt, "SELECT '" + emoji + "'");
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    RecordGetData(s, stmt, 1, SQL_C_CHAR);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    // A W buffer with room for one unit only: the pair cannot be split.
    ExecW(s, stmt, "SELECT '" + emoji + "'");
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    RecordGetData(s, stmt, 1, SQL_C_WCHAR, 2 * sizeof(SQLWCHAR));
    RecordGetData(s, stmt, 1, SQL_C_WCHAR, 8 * sizeof(SQLWCHAR));
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
  });
  EXPECT_TRUE(HasLineContaining(
      direct, "  get 1 as SQL_C_CHAR -> SQL_SUCCESS ind=4 '\\xf0\\x9f\\x98\\x80'"));
  // A Unicode label through SQLDescribeColW: 7 characters, also where the
  // target is ANSI and odbcpool converts; truncated with the full length.
  EXPECT_TRUE(HasLineContaining(direct, "  name='na\\xc3\\xafve_\\xe5\\x90\\x8d' length=7 "));
  if (GetParam().dsn == "pg_unicode") {
    EXPECT_TRUE(HasLineContaining(direct, " units=2 utf16=3dd800de"));
  } else {
    EXPECT_TRUE(HasLine(direct, "SQLDescribeColW small -> SQL_SUCCESS_WITH_INFO"));
    EXPECT_TRUE(HasLine(direct, "  name='na' length=7"));
  }
}

}  // namespace
}  // namespace conformance
