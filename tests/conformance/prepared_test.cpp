// Prepared statements executed again and again with new parameter values,
// and the cursor-state rules around re-execution.
#include "conformance_fixture.h"
#include "values.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Prepared);

TEST_P(Prepared, ReExecuteWithNewValues) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("prepared");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER, word VARCHAR(20))"});
    Statement insert(s);
    std::string sql = "INSERT INTO " + t + " (id, word) VALUES (?, ?)";
    s.Stmt("SQLPrepare insert", SQLPrepare(insert, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS),
           insert);
    SQLINTEGER id = 0;
    char word[20] = "";
    SQLLEN word_length = SQL_NTS;
    s.Stmt("SQLBindParameter(1)",
           SQLBindParameter(insert, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, 0,
                            nullptr),
           insert);
    s.Stmt("SQLBindParameter(2)",
           SQLBindParameter(insert, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 20, 0, word,
                            sizeof word, &word_length),
           insert);
    const char* words[] = {"first", "second", "third", "fourth"};
    for (int i = 0; i < 4; ++i) {
      id = i + 1;
      std::snprintf(word, sizeof word, "%s", words[i]);
      s.Stmt("SQLExecute insert " + std::to_string(id), SQLExecute(insert), insert);
      SQLLEN rows = -1;
      s.Stmt("SQLRowCount", SQLRowCount(insert, &rows), insert);
      s.Log("  rowcount=" + std::to_string(rows));
    }

    Statement select(s);
    sql = "SELECT id, word FROM " + t + " WHERE id >= ? ORDER BY id";
    s.Stmt("SQLPrepare select", SQLPrepare(select, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS),
           select);
    SQLSMALLINT columns = -1;
    // The result shape is known after SQLPrepare, before any SQLExecute.
    s.Stmt("SQLNumResultCols before execute", SQLNumResultCols(select, &columns), select);
    s.Log("  columns=" + std::to_string(columns));
    SQLINTEGER from = 3;
    s.Stmt("SQLBindParameter(1)",
           SQLBindParameter(select, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &from, 0,
                            nullptr),
           select);
    s.Stmt("SQLExecute select 3", SQLExecute(select), select);
    DumpResultSet(s, select);
    // Executing again while the cursor is open: 24000.
    s.Stmt("SQLExecute select with open cursor", SQLExecute(select), select);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(select, SQL_CLOSE), select);
    from = 2;
    s.Stmt("SQLExecute select 2", SQLExecute(select), select);
    s.Stmt("SQLFetch", SQLFetch(select), select);
    RecordGetData(s, select, 2, SQL_C_CHAR);
    // Closing mid-result and executing again starts from the first row.
    s.Stmt("SQLCloseCursor", SQLCloseCursor(select), select);
    from = 4;
    s.Stmt("SQLExecute select 4", SQLExecute(select), select);
    DumpResultSet(s, select);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(select), select);
    // Re-prepare the same handle with another statement.
    sql = "SELECT COUNT(*) FROM " + t;
    s.Stmt("SQLPrepare count", SQLPrepare(select, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS),
           select);
    s.Stmt("SQLExecute count", SQLExecute(select), select);
    DumpResultSet(s, select);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(select), select);
    // SQLExecute on a handle with nothing prepared: HY010.
    Statement fresh(s);
    s.Stmt("SQLExecute unprepared", SQLExecute(fresh), fresh);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  row 1: '3' 'third'"));
  EXPECT_TRUE(HasLine(direct, "  row 2: '4' 'fourth'"));
  EXPECT_TRUE(HasLine(direct, "  get 2 as SQL_C_CHAR -> SQL_SUCCESS ind=6 'second'"));
  EXPECT_TRUE(HasLine(direct, "  row 1: '4'"));
  // The SQLite driver and Connector/ODBC quietly re-execute over an open cursor.
  if (GetParam().IsPostgres()) {
    EXPECT_TRUE(HasLine(direct, "SQLExecute select with open cursor -> SQL_ERROR"));
  } else {
    EXPECT_TRUE(HasLine(direct, "SQLExecute select with open cursor -> SQL_SUCCESS"));
  }
}

}  // namespace
}  // namespace conformance
