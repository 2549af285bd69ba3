// Several result sets from one statement, SQLMoreResults and SQLRowCount
// across them.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(MultipleResults);

TEST_P(MultipleResults, BatchOfSelects) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    // PostgreSQL returns both results; the SQLite driver runs the first
    // statement only. Either way both sides must agree.
    Exec(s, stmt, "SELECT 1 AS a; SELECT 'two' AS b, 3 AS c");
    DumpAllResults(s, stmt);
    // After the last result, SQLMoreResults keeps answering SQL_NO_DATA.
    s.Stmt("SQLMoreResults at end", SQLMoreResults(stmt), stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    // Skipping a result without fetching it.
    Exec(s, stmt, "SELECT 1 AS a; SELECT 2 AS b");
    s.Stmt("SQLMoreResults (skip first)", SQLMoreResults(stmt), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLMoreResults", SQLMoreResults(stmt), stmt);
  });
  if (GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLineContaining(direct, "only one SQL statement allowed"));
  } else if (GetParam().IsMariadb()) {
    // Connector/ODBC sends a batch only with its MULTI_STATEMENTS option,
    // which the test DSN does not set: the server sees one statement.
    EXPECT_TRUE(
        HasLineContaining(direct, "  diag 1: " + GetParam().State("42000") + " native=1064 "));
  } else {
    EXPECT_TRUE(HasLineContaining(direct, "  col 1: 'a' "));
    EXPECT_TRUE(HasLine(direct, "  row 1: 'two' '3'"));
    EXPECT_TRUE(HasLine(direct, "SQLMoreResults (skip first) -> SQL_SUCCESS"));
  }
}

TEST_P(MultipleResults, BatchOfChanges) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("batch");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER)"});
    Statement stmt(s);
    Exec(s, stmt,
         "INSERT INTO " + t + " VALUES (1); INSERT INTO " + t + " VALUES (2); UPDATE " + t +
             " SET id = id + 10; SELECT id FROM " + t + " ORDER BY id");
    DumpAllResults(s, stmt);
    DropTable(s, t);
  });
  if (GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLineContaining(direct, "only one SQL statement allowed"));
  } else if (GetParam().IsMariadb()) {
    EXPECT_TRUE(
        HasLineContaining(direct, "  diag 1: " + GetParam().State("42000") + " native=1064 "));
  } else {
    EXPECT_TRUE(HasLine(direct, "  rowcount=2"));
    EXPECT_TRUE(HasLine(direct, "  row 2: '12'"));
  }
}

// SQLMoreResults on statements without a batch.
TEST_P(MultipleResults, SingleResultAndNoResult) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    s.Stmt("SQLMoreResults before execute", SQLMoreResults(stmt), stmt);
    Exec(s, stmt, "SELECT 1");
    s.Stmt("SQLMoreResults after one result", SQLMoreResults(stmt), stmt);
    s.Stmt("SQLFetch after SQLMoreResults", SQLFetch(stmt), stmt);
  });
  EXPECT_TRUE(HasLine(direct, "SQLMoreResults after one result -> SQL_NO_DATA"));
}

}  // namespace
}  // namespace conformance
