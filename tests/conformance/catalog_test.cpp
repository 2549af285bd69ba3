// Catalog functions over a parent/child pair of tables with a primary key,
// a foreign key and an index, in A and W forms.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Catalog);

struct Names {
  std::string parent;
  std::string child;
};

Names CreateSchema(Session& s) {
  Names n{s.Table("cat_parent"), s.Table("cat_child")};
  DropTable(s, n.child);
  DropTable(s, n.parent);
  ExecAll(s,
          {"CREATE TABLE " + n.parent +
               " (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL, note TEXT)",
           "CREATE TABLE " + n.child + " (cid INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES " +
               n.parent + "(id), amount NUMERIC(10,2))",
           "CREATE INDEX " + n.child + "_amount ON " + n.child + " (amount)"});
  return n;
}

void DropSchema(Session& s, const Names& n) {
  DropTable(s, n.child);
  DropTable(s, n.parent);
}

SQLCHAR* Text(std::string& text) {
  return reinterpret_cast<SQLCHAR*>(text.data());
}

TEST_P(Catalog, TablesAndColumns) {
  const Lines direct = RunBoth([](Session& s) {
    const Names n = CreateSchema(s);
    Statement stmt(s);
    std::string table = n.parent;
    s.Stmt("SQLTables(parent)",
           SQLTables(stmt, nullptr, 0, nullptr, 0, Text(table), SQL_NTS, nullptr, 0), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    std::string types = "TABLE";
    table = n.child;
    s.Stmt("SQLTables(child, TABLE)",
           SQLTables(stmt, nullptr, 0, nullptr, 0, Text(table), SQL_NTS, Text(types), SQL_NTS),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    // The table types the source knows: the special "%" enumeration.
    std::string all = "%";
    std::string empty;
    s.Stmt("SQLTables(table types)",
           SQLTables(stmt, Text(empty), 0, Text(empty), 0, Text(empty), 0, Text(all), SQL_NTS),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    table = n.parent;
    s.Stmt("SQLColumns(parent)",
           SQLColumns(stmt, nullptr, 0, nullptr, 0, Text(table), SQL_NTS, nullptr, 0), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    WString wide_table = ToWide(n.child);
    WString wide_column = ToWide("%id");
    s.Stmt("SQLColumnsW(child, %id)",
           SQLColumnsW(stmt, nullptr, 0, nullptr, 0, wide_table.data(), SQL_NTS, wide_column.data(),
                       SQL_NTS),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    WString wide_parent = ToWide(n.parent);
    s.Stmt("SQLTablesW(parent)",
           SQLTablesW(stmt, nullptr, 0, nullptr, 0, wide_parent.data(), SQL_NTS, nullptr, 0), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    DropSchema(s, n);
  });
  EXPECT_TRUE(HasLineContaining(direct, "'conf_cat_parent_" + GetParam().tag + "_<side>' 'TABLE'"));
  EXPECT_TRUE(HasLineContaining(direct, "'conf_cat_parent_" + GetParam().tag + "_<side>' 'code'"));
}

TEST_P(Catalog, KeysAndStatistics) {
  const Lines direct = RunBoth([](Session& s) {
    const Names n = CreateSchema(s);
    Statement stmt(s);
    std::string parent = n.parent;
    std::string child = n.child;
    s.Stmt("SQLPrimaryKeys(parent)",
           SQLPrimaryKeys(stmt, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLForeignKeys(pk=parent)",
           SQLForeignKeys(stmt, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS, nullptr, 0, nullptr,
                          0, nullptr, 0),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLForeignKeys(fk=child)",
           SQLForeignKeys(stmt, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0,
                          Text(child), SQL_NTS),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt(
        "SQLStatistics(child, ALL)",
        SQLStatistics(stmt, nullptr, 0, nullptr, 0, Text(child), SQL_NTS, SQL_INDEX_ALL, SQL_QUICK),
        stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLSpecialColumns(parent, BEST_ROWID)",
           SQLSpecialColumns(stmt, SQL_BEST_ROWID, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS,
                             SQL_SCOPE_SESSION, SQL_NULLABLE),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLSpecialColumns(parent, ROWVER)",
           SQLSpecialColumns(stmt, SQL_ROWVER, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS,
                             SQL_SCOPE_SESSION, SQL_NULLABLE),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    WString wide_child = ToWide(n.child);
    s.Stmt("SQLPrimaryKeysW(child)",
           SQLPrimaryKeysW(stmt, nullptr, 0, nullptr, 0, wide_child.data(), SQL_NTS), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLTablePrivileges(parent)",
           SQLTablePrivileges(stmt, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    std::string column = "code";
    s.Stmt("SQLColumnPrivileges(parent.code)",
           SQLColumnPrivileges(stmt, nullptr, 0, nullptr, 0, Text(parent), SQL_NTS, Text(column),
                               SQL_NTS),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    DropSchema(s, n);
  });
  EXPECT_TRUE(HasLineContaining(direct, "'conf_cat_parent_" + GetParam().tag + "_<side>' 'id'"));
  EXPECT_TRUE(HasLineContaining(direct, "'parent_id'"));
}

TEST_P(Catalog, TypeInfo) {
  const Lines direct = RunBoth([](Session& s) {
    Statement stmt(s);
    s.Stmt("SQLGetTypeInfo(ALL)", SQLGetTypeInfo(stmt, SQL_ALL_TYPES), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    for (const SQLSMALLINT type : {SQL_INTEGER, SQL_VARCHAR, SQL_WVARCHAR, SQL_TYPE_TIMESTAMP}) {
      s.Stmt("SQLGetTypeInfo(" + std::to_string(type) + ")", SQLGetTypeInfo(stmt, type), stmt);
      DumpResultSet(s, stmt);
      s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    }
    s.Stmt("SQLGetTypeInfoW(INTEGER)", SQLGetTypeInfoW(stmt, SQL_INTEGER), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
  });
  EXPECT_TRUE(HasLineContaining(direct, "  row 1: "));
  EXPECT_TRUE(HasLineContaining(direct, "'TYPE_NAME'"));
}

TEST_P(Catalog, Procedures) {
  const Lines direct = RunBothExcept(MariaDbUserVariablesKept, [](Session& s) {
    const std::string function = s.Table("fn");
    if (s.IsPostgres()) {
      ExecAll(s, {"CREATE OR REPLACE FUNCTION " + function +
                  "(a INTEGER, b TEXT) RETURNS INTEGER AS 'SELECT a + length(b)' LANGUAGE SQL"});
    }
    if (s.IsMariadb()) {
      ExecAll(s, {"CREATE OR REPLACE FUNCTION " + function +
                  "(a INTEGER, b TEXT) RETURNS INTEGER DETERMINISTIC RETURN a + LENGTH(b)"});
    }
    Statement stmt(s);
    std::string name = function;
    s.Stmt("SQLProcedures", SQLProcedures(stmt, nullptr, 0, nullptr, 0, Text(name), SQL_NTS), stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLProcedureColumns",
           SQLProcedureColumns(stmt, nullptr, 0, nullptr, 0, Text(name), SQL_NTS, nullptr, 0),
           stmt);
    DumpResultSet(s, stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    if (s.IsPostgres()) ExecAll(s, {"DROP FUNCTION " + function + "(INTEGER, TEXT)"});
    if (s.IsMariadb()) ExecAll(s, {"DROP FUNCTION " + function});
  });
  if (!GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLineContaining(direct, "'conf_fn_" + GetParam().tag + "_<side>'"));
  }
}

}  // namespace
}  // namespace conformance
