// DDL and DML through SQLExecDirect: row counts, result shapes, and a read
// of what was written.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(DdlDml);

TEST_P(DdlDml, CreateInsertUpdateDeleteSelect) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("ddl");
    DropTable(s, t);
    Statement stmt(s);
    Exec(s, stmt, "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(40), qty INTEGER)");
    SQLSMALLINT columns = -1;
    s.Stmt("SQLNumResultCols after DDL", SQLNumResultCols(stmt, &columns), stmt);
    s.Log("  columns=" + std::to_string(columns));
    const char* inserts[] = {"(1, 'one', 10)", "(2, 'two', 20)", "(3, 'three', NULL)",
                             "(4, 'four', 40)"};
    for (const char* values : inserts) {
      Exec(s, stmt, "INSERT INTO " + t + " VALUES " + values);
      SQLLEN rows = -1;
      s.Stmt("SQLRowCount", SQLRowCount(stmt, &rows), stmt);
      s.Log("  rowcount=" + std::to_string(rows));
    }
    const std::string changes[] = {"UPDATE " + t + " SET qty = qty + 1 WHERE id < 3",
                                   "UPDATE " + t + " SET qty = 0 WHERE id > 100",
                                   "DELETE FROM " + t + " WHERE id = 4"};
    for (const std::string& sql : changes) {
      Exec(s, stmt, sql);
      SQLLEN rows = -1;
      s.Stmt("SQLRowCount", SQLRowCount(stmt, &rows), stmt);
      s.Log("  rowcount=" + std::to_string(rows));
    }
    Exec(s, stmt, "SELECT id, name, qty FROM " + t + " ORDER BY id");
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    // A second close has no cursor to close: 24000.
    s.Stmt("SQLCloseCursor again", SQLCloseCursor(stmt), stmt);
    Exec(s, stmt, "SELECT COUNT(*) FROM " + t);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    Exec(s, stmt, "DROP TABLE " + t);
    Exec(s, stmt, "SELECT * FROM " + t);
  });
  EXPECT_TRUE(HasLine(direct, "  row 1: '1' 'one' '11'"));
  EXPECT_TRUE(HasLine(direct, "  row 2: '2' 'two' '21'"));
  EXPECT_TRUE(HasLine(direct, "  row 3: '3' 'three' NULL"));
  EXPECT_TRUE(HasLine(direct, "  SQLFetch -> SQL_NO_DATA after 3 rows"));
  EXPECT_TRUE(HasLine(direct, "  row 1: '3'"));
  EXPECT_TRUE(HasLine(direct, "SQLCloseCursor again -> SQL_ERROR"));
  EXPECT_TRUE(HasLine(direct, "SQLDisconnect -> SQL_SUCCESS"));
}

}  // namespace
}  // namespace conformance
