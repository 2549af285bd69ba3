// Parameters of many C types bound with SQLBindParameter, written and read
// back with SQLGetData into the same C types.
#include "conformance_fixture.h"
#include "values.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Parameters);

struct Row {
  SQLINTEGER id;
  SQLINTEGER i;
  SQLBIGINT b;
  SQLDOUBLE d;
  char s[64];
  SQL_DATE_STRUCT dt;
  SQL_TIMESTAMP_STRUCT ts;
  unsigned char bin[8];
  SQLLEN bin_length;
};

TEST_P(Parameters, CTypesRoundTrip) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("params");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t +
                " (id INTEGER, i INTEGER, b BIGINT, d DOUBLE PRECISION, s VARCHAR(50), dt DATE,"
                " ts TIMESTAMP, bin " +
                s.target().BinaryType() + ", n VARCHAR(10))"});
    Statement stmt(s);
    std::string sql = "INSERT INTO " + t + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    s.Stmt("SQLPrepare", SQLPrepare(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS), stmt);
    SQLSMALLINT params = -1;
    s.Stmt("SQLNumParams", SQLNumParams(stmt, &params), stmt);
    s.Log("  params=" + std::to_string(params));

    Row row{};
    SQLLEN s_length = SQL_NTS;
    SQLLEN null_indicator = SQL_NULL_DATA;
    SQLLEN fixed = 0;
    char null_text[4] = "";
    const auto bind = [&](SQLUSMALLINT n, SQLSMALLINT c_type, SQLSMALLINT sql_type, SQLULEN size,
                          SQLPOINTER value, SQLLEN length, SQLLEN* indicator) {
      s.Stmt("SQLBindParameter(" + std::to_string(n) + ", " + CTypeName(c_type) + ")",
             SQLBindParameter(stmt, n, SQL_PARAM_INPUT, c_type, sql_type, size, 0, value, length,
                              indicator),
             stmt);
    };
    bind(1, SQL_C_SLONG, SQL_INTEGER, 0, &row.id, 0, &fixed);
    bind(2, SQL_C_SLONG, SQL_INTEGER, 0, &row.i, 0, &fixed);
    bind(3, SQL_C_SBIGINT, SQL_BIGINT, 0, &row.b, 0, &fixed);
    bind(4, SQL_C_DOUBLE, SQL_DOUBLE, 0, &row.d, 0, &fixed);
    bind(5, SQL_C_CHAR, SQL_VARCHAR, 50, row.s, sizeof row.s, &s_length);
    bind(6, SQL_C_TYPE_DATE, SQL_TYPE_DATE, 10, &row.dt, 0, &fixed);
    bind(7, SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, 26, &row.ts, 0, &fixed);
    bind(8, SQL_C_BINARY, SQL_VARBINARY, 8, row.bin, sizeof row.bin, &row.bin_length);
    bind(9, SQL_C_CHAR, SQL_VARCHAR, 10, null_text, sizeof null_text, &null_indicator);

    row = {1,
           -42,
           9007199254740993LL,
           3.25,
           "it's \"quoted\"",
           {2024, 2, 29},
           {2024, 2, 29, 13, 14, 15, 0},
           {0x00, 0x01, 0xfe, 0xff},
           4};
    s.Stmt("SQLExecute row 1", SQLExecute(stmt), stmt);
    row = {2, 0, -1, -0.5, "", {1999, 12, 31}, {1999, 12, 31, 23, 59, 59, 0}, {0x41}, 1};
    s.Stmt("SQLExecute row 2", SQLExecute(stmt), stmt);
    SQLLEN rows = -1;
    s.Stmt("SQLRowCount", SQLRowCount(stmt, &rows), stmt);
    s.Log("  rowcount=" + std::to_string(rows));

    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);
    Exec(s, stmt, "SELECT id, i, b, d, s, dt, ts, bin, n FROM " + t + " ORDER BY id");
    const SQLSMALLINT types[] = {SQL_C_SLONG,          SQL_C_SLONG,  SQL_C_SBIGINT,
                                 SQL_C_DOUBLE,         SQL_C_CHAR,   SQL_C_TYPE_DATE,
                                 SQL_C_TYPE_TIMESTAMP, SQL_C_BINARY, SQL_C_CHAR};
    for (int r = 1; r < kMaxRows && s.Stmt("SQLFetch", SQLFetch(stmt), stmt) == SQL_SUCCESS; ++r) {
      for (SQLUSMALLINT c = 1; c <= 9; ++c) RecordGetData(s, stmt, c, types[c - 1]);
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    Exec(s, stmt, "SELECT id, i, b, d, s, dt, ts, bin, n FROM " + t + " ORDER BY id");
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  params=9"));
  EXPECT_TRUE(HasLine(direct, "  get 3 as SQL_C_SBIGINT -> SQL_SUCCESS ind=8 9007199254740993"));
  EXPECT_TRUE(HasLine(direct, "  get 4 as SQL_C_DOUBLE -> SQL_SUCCESS ind=8 3.25"));
  EXPECT_TRUE(HasLine(direct, "  get 5 as SQL_C_CHAR -> SQL_SUCCESS ind=13 'it's \"quoted\"'"));
  EXPECT_TRUE(HasLine(direct, "  get 6 as SQL_C_TYPE_DATE -> SQL_SUCCESS ind=6 2024-02-29"));
  EXPECT_TRUE(HasLine(direct, "  get 8 as SQL_C_BINARY -> SQL_SUCCESS ind=4 0x0001feff"));
  EXPECT_TRUE(HasLine(direct, "  get 9 as SQL_C_CHAR -> SQL_SUCCESS ind=SQL_NULL_DATA NULL"));
}

// Values of one type read into other C types, including conversions the
// driver must refuse (22018) or can only do with loss (01S07, 22003).
TEST_P(Parameters, GetDataConversions) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    Exec(s, stmt, "SELECT 42, '12.5', 'abc', 300, 1");
    s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    for (const SQLSMALLINT c_type : {SQL_C_CHAR, SQL_C_WCHAR, SQL_C_SSHORT, SQL_C_STINYINT,
                                     SQL_C_DOUBLE, SQL_C_BIT, SQL_C_TYPE_DATE, SQL_C_BINARY}) {
      for (SQLUSMALLINT c = 1; c <= 5; ++c) {
        RecordGetData(s, stmt, c, c_type);
      }
      // Each column may be read once per row only; refetch for the next type.
      s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
      Exec(s, stmt, "SELECT 42, '12.5', 'abc', 300, 1");
      s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
    }
  });
  EXPECT_TRUE(HasLine(direct, "  get 1 as SQL_C_SSHORT -> SQL_SUCCESS ind=2 42"));
  EXPECT_TRUE(HasLine(direct, "  get 2 as SQL_C_DOUBLE -> SQL_SUCCESS ind=8 12.5"));
  // psqlODBC's ANSI driver has no SQL_C_WCHAR conversions (07006).
  if (GetParam().dsn != "pg_ansi") {
    EXPECT_TRUE(HasLine(
        direct, "  get 1 as SQL_C_WCHAR -> SQL_SUCCESS ind=4 W'42' units=2 utf16=34003200"));
  }
}

}  // namespace
}  // namespace conformance
