// Block cursors and parameter arrays: SQL_ATTR_ROW_ARRAY_SIZE with
// column-wise and row-wise binding, SQL_ATTR_ROWS_FETCHED_PTR and row
// status; SQL_ATTR_PARAMSET_SIZE with processed count and parameter status.
#include <cstring>

#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Arrays);

constexpr int kRows = 7;

std::string CreateRows(Session& s) {
  const std::string t = s.Table("arrays");
  DropTable(s, t);
  ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER, name VARCHAR(10))"});
  for (int i = 1; i <= kRows; ++i) {
    ExecAll(s, {"INSERT INTO " + t + " VALUES (" + std::to_string(i) + ", " +
                (i == 4 ? std::string("NULL") : "'row" + std::to_string(i) + "'") + ")"});
  }
  return t;
}

std::string Status(SQLUSMALLINT status) {
  switch (status) {
    case SQL_ROW_SUCCESS:
      return "SUCCESS";
    case SQL_ROW_SUCCESS_WITH_INFO:
      return "SUCCESS_WITH_INFO";
    case SQL_ROW_ERROR:
      return "ERROR";
    case SQL_ROW_NOROW:
      return "NOROW";
    default:
      return std::to_string(status);
  }
}

TEST_P(Arrays, ColumnWiseRowArray) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = CreateRows(s);
    Statement stmt(s);
    constexpr SQLULEN kArray = 3;
    SQLINTEGER ids[kArray];
    SQLLEN id_ind[kArray];
    char names[kArray][8];
    SQLLEN name_ind[kArray];
    SQLULEN fetched = 0;
    SQLUSMALLINT status[kArray];
    s.Stmt("SQLSetStmtAttr(ROW_ARRAY_SIZE, 3)",
           SQLSetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(kArray), 0),
           stmt);
    s.Stmt("SQLSetStmtAttr(ROWS_FETCHED_PTR)",
           SQLSetStmtAttr(stmt, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), stmt);
    s.Stmt("SQLSetStmtAttr(ROW_STATUS_PTR)",
           SQLSetStmtAttr(stmt, SQL_ATTR_ROW_STATUS_PTR, status, 0), stmt);
    s.Stmt("SQLBindCol(1)", SQLBindCol(stmt, 1, SQL_C_SLONG, ids, 0, id_ind), stmt);
    s.Stmt("SQLBindCol(2)", SQLBindCol(stmt, 2, SQL_C_CHAR, names, 8, name_ind), stmt);
    SQLULEN array_size = 0;
    s.Stmt("SQLGetStmtAttr(ROW_ARRAY_SIZE)",
           SQLGetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE, &array_size, 0, nullptr), stmt);
    s.Log("  row_array_size=" + std::to_string(array_size));
    Exec(s, stmt, "SELECT id, name FROM " + t + " ORDER BY id");
    for (int block = 1; block <= 5; ++block) {
      std::memset(ids, 0, sizeof ids);
      std::memset(names, 0, sizeof names);
      std::memset(status, 0xFF, sizeof status);
      fetched = 999;
      const SQLRETURN rc = s.Stmt("SQLFetch block " + std::to_string(block), SQLFetch(stmt), stmt);
      s.Log("  fetched=" + std::to_string(fetched));
      if (!SQL_SUCCEEDED(rc)) break;
      for (SQLULEN r = 0; r < fetched && r < kArray; ++r) {
        s.Log("  [" + std::to_string(r) + "] status=" + Status(status[r]) +
              " id=" + std::to_string(ids[r]) + "/" + Indicator(id_ind[r]) +
              " name=" + (name_ind[r] == SQL_NULL_DATA ? std::string("NULL") : Quote(names[r])) +
              "/" + Indicator(name_ind[r]));
      }
      for (SQLULEN r = fetched; r < kArray; ++r) {
        s.Log("  [" + std::to_string(r) + "] status=" + Status(status[r]));
      }
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  row_array_size=3"));
  EXPECT_TRUE(HasLine(direct, "  [0] status=SUCCESS id=4/4 name=NULL/SQL_NULL_DATA"));
  EXPECT_TRUE(HasLine(direct, "  [0] status=SUCCESS id=7/4 name='row7'/4"));
  EXPECT_TRUE(HasLine(direct, "  fetched=1"));
  EXPECT_TRUE(HasLine(direct, "SQLFetch block 4 -> SQL_NO_DATA"));
}

TEST_P(Arrays, RowWiseRowArray) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = CreateRows(s);
    Statement stmt(s);
    struct Row {
      SQLINTEGER id;
      SQLLEN id_ind;
      char name[8];
      SQLLEN name_ind;
    };
    Row rows[4];
    SQLULEN fetched = 0;
    s.Stmt(
        "SQLSetStmtAttr(ROW_BIND_TYPE, sizeof(Row))",
        SQLSetStmtAttr(stmt, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(sizeof(Row)), 0),
        stmt);
    s.Stmt("SQLSetStmtAttr(ROW_ARRAY_SIZE, 4)",
           SQLSetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(4), 0), stmt);
    s.Stmt("SQLSetStmtAttr(ROWS_FETCHED_PTR)",
           SQLSetStmtAttr(stmt, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0), stmt);
    s.Stmt("SQLBindCol(1)", SQLBindCol(stmt, 1, SQL_C_SLONG, &rows[0].id, 0, &rows[0].id_ind),
           stmt);
    s.Stmt("SQLBindCol(2)", SQLBindCol(stmt, 2, SQL_C_CHAR, rows[0].name, 8, &rows[0].name_ind),
           stmt);
    Exec(s, stmt, "SELECT id, name FROM " + t + " ORDER BY id");
    for (int block = 1; block <= 4; ++block) {
      std::memset(rows, 0, sizeof rows);
      const SQLRETURN rc = s.Stmt("SQLFetchScroll NEXT block " + std::to_string(block),
                                  SQLFetchScroll(stmt, SQL_FETCH_NEXT, 0), stmt);
      s.Log("  fetched=" + std::to_string(fetched));
      if (!SQL_SUCCEEDED(rc)) break;
      for (SQLULEN r = 0; r < fetched && r < 4; ++r) {
        s.Log("  [" + std::to_string(r) + "] id=" + std::to_string(rows[r].id) + " name=" +
              (rows[r].name_ind == SQL_NULL_DATA ? std::string("NULL") : Quote(rows[r].name)));
      }
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  [3] id=4 name=NULL"));
  EXPECT_TRUE(HasLine(direct, "  [2] id=7 name='row7'"));
  EXPECT_TRUE(HasLine(direct, "  fetched=3"));
}

TEST_P(Arrays, ParameterArrays) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("paramset");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(10))"});
    Statement stmt(s);
    constexpr SQLULEN kSet = 4;
    SQLINTEGER ids[kSet] = {10, 20, 30, 40};
    char names[kSet][10] = {"ten", "twenty", "", "forty"};
    SQLLEN name_ind[kSet] = {SQL_NTS, SQL_NTS, SQL_NULL_DATA, SQL_NTS};
    SQLULEN processed = 0;
    SQLUSMALLINT status[kSet];
    std::memset(status, 0xFF, sizeof status);
    s.Stmt("SQLSetStmtAttr(PARAM_BIND_TYPE, COLUMN)",
           SQLSetStmtAttr(stmt, SQL_ATTR_PARAM_BIND_TYPE,
                          reinterpret_cast<SQLPOINTER>(SQL_PARAM_BIND_BY_COLUMN), 0),
           stmt);
    s.Stmt("SQLSetStmtAttr(PARAMSET_SIZE, 4)",
           SQLSetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(kSet), 0),
           stmt);
    s.Stmt("SQLSetStmtAttr(PARAMS_PROCESSED_PTR)",
           SQLSetStmtAttr(stmt, SQL_ATTR_PARAMS_PROCESSED_PTR, &processed, 0), stmt);
    s.Stmt("SQLSetStmtAttr(PARAM_STATUS_PTR)",
           SQLSetStmtAttr(stmt, SQL_ATTR_PARAM_STATUS_PTR, status, 0), stmt);
    s.Stmt(
        "SQLBindParameter(1)",
        SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, ids, 0, nullptr),
        stmt);
    s.Stmt("SQLBindParameter(2)",
           SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0, names, 10,
                            name_ind),
           stmt);
    Exec(s, stmt, "INSERT INTO " + t + " VALUES (?, ?)");
    s.Log("  processed=" + std::to_string(processed));
    for (SQLULEN i = 0; i < kSet; ++i) {
      s.Log("  status[" + std::to_string(i) + "]=" + std::to_string(status[i]));
    }
    SQLLEN rows = -1;
    s.Stmt("SQLRowCount", SQLRowCount(stmt, &rows), stmt);
    s.Log("  rowcount=" + std::to_string(rows));
    // A second array where one row violates the primary key.
    ids[0] = 50;
    ids[1] = 20;
    ids[2] = 60;
    ids[3] = 70;
    std::memset(status, 0xFF, sizeof status);
    processed = 0;
    Exec(s, stmt, "INSERT INTO " + t + " VALUES (?, ?)");
    s.Log("  processed=" + std::to_string(processed));
    for (SQLULEN i = 0; i < kSet; ++i) {
      s.Log("  status[" + std::to_string(i) + "]=" + std::to_string(status[i]));
    }
    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);
    s.Stmt("SQLSetStmtAttr(PARAMSET_SIZE, 1)",
           SQLSetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, reinterpret_cast<SQLPOINTER>(1), 0), stmt);
    Exec(s, stmt, "SELECT id, name FROM " + t + " ORDER BY id");
    DumpResultSet(s, stmt);
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  processed=4"));
  EXPECT_TRUE(HasLine(direct, "  row 1: '10' 'ten'"));
  EXPECT_TRUE(HasLine(direct, "  row 3: '30' NULL"));
  EXPECT_TRUE(HasLine(direct, "  row 4: '40' 'forty'"));
}

}  // namespace
}  // namespace conformance
