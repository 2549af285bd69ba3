// Data at execution: parameters whose values are sent with SQLPutData in
// pieces after SQLExecute/SQLExecDirect answer SQL_NEED_DATA.
#include <vector>

#include "conformance_fixture.h"
#include "values.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(DataAtExecution);

TEST_P(DataAtExecution, PutDataInPieces) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("putdata");
    DropTable(s, t);
    ExecAll(s,
            {"CREATE TABLE " + t + " (id INTEGER, txt TEXT, bin " + s.target().BinaryType() + ")"});
    Statement stmt(s);
    std::string sql = "INSERT INTO " + t + " VALUES (?, ?, ?)";
    s.Stmt("SQLPrepare", SQLPrepare(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS), stmt);
    SQLINTEGER id = 1;
    // The parameter value pointers are tokens the driver hands back from
    // SQLParamData to say which parameter it wants next. Real addresses:
    // some drivers (SQLite's) use them as pointers.
    int text_token = 2;
    int bin_token = 3;
    SQLLEN text_ind = 0;
    SQLLEN bin_ind = SQL_DATA_AT_EXEC;
    s.Stmt(
        "SQLBindParameter(1)",
        SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0, nullptr),
        stmt);
    s.Stmt("SQLBindParameter(2, DATA_AT_EXEC)",
           SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_LONGVARCHAR, 4000, 0,
                            &text_token, 0, &text_ind),
           stmt);
    s.Stmt("SQLBindParameter(3, DATA_AT_EXEC)",
           SQLBindParameter(stmt, 3, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_LONGVARBINARY, 4000, 0,
                            &bin_token, 0, &bin_ind),
           stmt);
    std::string text;
    std::vector<unsigned char> blob;
    for (int round = 1; round <= 2; ++round) {
      id = round;
      // The total length up front, as SQL_NEED_LONG_DATA_LEN drivers want it.
      text_ind = SQL_LEN_DATA_AT_EXEC(3 * 700 * round);
      bin_ind = SQL_DATA_AT_EXEC;
      text.clear();
      blob.clear();
      SQLRETURN rc = s.Stmt("SQLExecute round " + std::to_string(round), SQLExecute(stmt), stmt);
      for (int step = 0; rc == SQL_NEED_DATA && step < 10; ++step) {
        SQLPOINTER token = nullptr;
        rc = s.Stmt("SQLParamData", SQLParamData(stmt, &token), stmt);
        if (rc != SQL_NEED_DATA) break;
        const int which = token == &text_token ? 2 : token == &bin_token ? 3 : 0;
        s.Log("  token=" + std::to_string(which));
        // While data is pending, other calls are a function sequence error.
        SQLSMALLINT columns = 0;
        s.Stmt("  SQLNumResultCols while pending", SQLNumResultCols(stmt, &columns), stmt);
        for (int piece = 0; piece < 3; ++piece) {
          if (which == 2) {
            std::string chunk(700 * round, static_cast<char>('a' + piece));
            text += chunk;
            s.Stmt("  SQLPutData text " + std::to_string(chunk.size()),
                   SQLPutData(stmt, chunk.data(), static_cast<SQLLEN>(chunk.size())), stmt);
          } else {
            std::vector<unsigned char> chunk(300, static_cast<unsigned char>(piece * 50 + round));
            blob.insert(blob.end(), chunk.begin(), chunk.end());
            s.Stmt("  SQLPutData binary " + std::to_string(chunk.size()),
                   SQLPutData(stmt, chunk.data(), static_cast<SQLLEN>(chunk.size())), stmt);
          }
        }
      }
      s.Log("  final rc " + RcName(rc));
    }
    // SQLCancel in the middle of data at execution abandons the statement.
    id = 3;
    text_ind = SQL_LEN_DATA_AT_EXEC(10);
    bin_ind = SQL_DATA_AT_EXEC;
    SQLRETURN rc = s.Stmt("SQLExecute round 3", SQLExecute(stmt), stmt);
    SQLPOINTER token = nullptr;
    if (rc == SQL_NEED_DATA) rc = s.Stmt("SQLParamData", SQLParamData(stmt, &token), stmt);
    s.Stmt("SQLCancel while pending", SQLCancel(stmt), stmt);
    s.Stmt("SQLParamData after cancel", SQLParamData(stmt, &token), stmt);
    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);

    Exec(s, stmt, "SELECT id, LENGTH(txt), txt, bin FROM " + t + " ORDER BY id");
    for (int row = 1; row <= 3 && SQL_SUCCEEDED(s.Stmt("SQLFetch", SQLFetch(stmt), stmt)); ++row) {
      RecordGetData(s, stmt, 1, SQL_C_SLONG);
      RecordGetData(s, stmt, 2, SQL_C_SLONG);
      std::vector<char> buffer(5000);
      SQLLEN indicator = 0;
      s.Stmt("SQLGetData(3)", SQLGetData(stmt, 3, SQL_C_CHAR, buffer.data(), 5000, &indicator),
             stmt);
      const std::string got(buffer.data(), indicator > 0 ? static_cast<size_t>(indicator) : 0);
      s.Log("  txt ind=" + Indicator(indicator) + " starts " + Quote(got.substr(0, 3)) + " ends " +
            Quote(got.size() > 3 ? got.substr(got.size() - 3) : got));
      std::vector<unsigned char> bytes(5000);
      s.Stmt("SQLGetData(4)", SQLGetData(stmt, 4, SQL_C_BINARY, bytes.data(), 5000, &indicator),
             stmt);
      s.Log("  bin ind=" + Indicator(indicator) + " first=" + Hex(bytes.data(), 1) +
            " last=" + Hex(bytes.data() + (indicator > 0 ? indicator - 1 : 0), 1));
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  token=2"));
  EXPECT_TRUE(HasLine(direct, "  token=3"));
  EXPECT_TRUE(HasLine(direct, "  SQLNumResultCols while pending -> SQL_ERROR"));
  // The SQLite driver takes binary data at execution in one piece only
  // ("sequence error" on the second SQLPutData), so nothing is inserted.
  if (!GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLine(direct, "  txt ind=2100 starts 'aaa' ends 'ccc'"));
    EXPECT_TRUE(HasLine(direct, "  txt ind=4200 starts 'aaa' ends 'ccc'"));
    EXPECT_TRUE(HasLine(direct, "  bin ind=900 first=01 last=65"));
  }
}

// Data at execution through SQLExecDirect, with SQL_C_WCHAR pieces.
TEST_P(DataAtExecution, ExecDirectWide) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("putdata_w");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (txt VARCHAR(100))"});
    Statement stmt(s);
    SQLLEN ind = SQL_DATA_AT_EXEC;
    int token_target = 1;
    s.Stmt("SQLBindParameter(1, WCHAR, DATA_AT_EXEC)",
           SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR, 100, 0,
                            &token_target, 0, &ind),
           stmt);
    SQLRETURN rc = Exec(s, stmt, "INSERT INTO " + t + " VALUES (?)");
    SQLPOINTER token = nullptr;
    if (rc == SQL_NEED_DATA) rc = s.Stmt("SQLParamData", SQLParamData(stmt, &token), stmt);
    if (rc == SQL_NEED_DATA) {
      for (const char* piece : {"caf\xc3\xa9 ", "\xe5\x90\x8d ", "\xf0\x9f\x98\x80"}) {
        WString wide = ToWide(piece);
        s.Stmt("SQLPutData " + Quote(piece),
               SQLPutData(stmt, wide.data(), static_cast<SQLLEN>(wide.size() * sizeof(SQLWCHAR))),
               stmt);
      }
      s.Stmt("SQLParamData final", SQLParamData(stmt, &token), stmt);
    }
    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);
    Exec(s, stmt, "SELECT txt FROM " + t);
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  // pg_ansi has no SQL_C_WCHAR; SQLite takes one SQLPutData per parameter.
  if (GetParam().dsn == "pg_unicode") {
    EXPECT_TRUE(HasLine(direct, "  row 1: 'caf\\xc3\\xa9 \\xe5\\x90\\x8d \\xf0\\x9f\\x98\\x80'"));
  }
}

}  // namespace
}  // namespace conformance
