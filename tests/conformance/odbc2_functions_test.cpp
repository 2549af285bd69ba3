// The ODBC 2 functions an application may still call (SQLSetParam,
// SQLParamOptions, the *Option functions, SQLTransact). unixODBC hands each
// to the driver's own where it exports one: the targets' for the direct
// side, odbcpool's for the pooled one, which map them onto ODBC 3.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Odbc2Functions);

// SQLColAttributes with ODBC 2's field identifiers, for both columns.
void RecordColAttributes(Session& s, SQLHSTMT stmt) {
  struct Field {
    SQLUSMALLINT id;
    const char* name;
  };
  static const Field kFields[] = {
      {SQL_COLUMN_COUNT, "COUNT"},         {SQL_COLUMN_NAME, "NAME"},
      {SQL_COLUMN_TYPE, "TYPE"},           {SQL_COLUMN_LENGTH, "LENGTH"},
      {SQL_COLUMN_PRECISION, "PRECISION"}, {SQL_COLUMN_SCALE, "SCALE"},
      {SQL_COLUMN_NULLABLE, "NULLABLE"},   {SQL_COLUMN_DISPLAY_SIZE, "DISPLAY_SIZE"},
      {SQL_COLUMN_LABEL, "LABEL"},
  };
  for (SQLUSMALLINT column = 1; column <= 2; ++column) {
    for (const Field& field : kFields) {
      char text[64] = "";
      SQLSMALLINT length = 0;
      SQLLEN number = 0;
      const SQLRETURN rc =
          SQLColAttributes(stmt, column, field.id, text, sizeof text, &length, &number);
      s.Log("SQLColAttributes(" + std::to_string(column) + ", " + field.name + ") -> " +
            RcName(rc) + " " + std::to_string(number) + " '" + text + "'");
    }
  }
}

TEST_P(Odbc2Functions, ParametersOptionsAndTransactions) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("odbc2");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER, s VARCHAR(20))"});
    s.Dbc("SQLSetConnectOption(AUTOCOMMIT off)",
          SQLSetConnectOption(s.dbc(), SQL_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF));
    SQLUINTEGER autocommit = 99;
    s.Dbc("SQLGetConnectOption(AUTOCOMMIT)",
          SQLGetConnectOption(s.dbc(), SQL_AUTOCOMMIT, &autocommit));
    s.Log("  autocommit=" + std::to_string(autocommit));

    Statement stmt(s);
    s.Stmt("SQLSetStmtOption(MAX_ROWS 5)", SQLSetStmtOption(stmt, SQL_MAX_ROWS, 5), stmt);
    SQLULEN max_rows = 0;
    s.Stmt("SQLGetStmtOption(MAX_ROWS)", SQLGetStmtOption(stmt, SQL_MAX_ROWS, &max_rows), stmt);
    s.Log("  max_rows=" + std::to_string(max_rows));
    SQLULEN processed = 0;
    s.Stmt("SQLParamOptions(1)", SQLParamOptions(stmt, 1, &processed), stmt);

    std::string sql = "INSERT INTO " + t + " VALUES (?, ?)";
    s.Stmt("SQLPrepare", SQLPrepare(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS), stmt);
    SQLINTEGER id = 0;
    SQLLEN id_length = 0;
    char text[21] = "";
    SQLLEN text_length = SQL_NTS;
    s.Stmt("SQLSetParam(1, SLONG)",
           SQLSetParam(stmt, 1, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, &id_length), stmt);
    s.Stmt("SQLSetParam(2, CHAR)",
           SQLSetParam(stmt, 2, SQL_C_CHAR, SQL_VARCHAR, 20, 0, text, &text_length), stmt);
    for (int i = 1; i <= 2; ++i) {
      id = i;
      std::snprintf(text, sizeof text, "row %d", i);
      s.Stmt("SQLExecute " + std::to_string(i), SQLExecute(stmt), stmt);
      s.Log("  processed=" + std::to_string(processed));
    }
    s.Dbc("SQLTransact(ROLLBACK)", SQLTransact(SQL_NULL_HENV, s.dbc(), SQL_ROLLBACK));
    SQLFreeStmt(stmt, SQL_RESET_PARAMS);
    Exec(s, stmt, "SELECT COUNT(*) FROM " + t);
    DumpResultSet(s, stmt);
    SQLFreeStmt(stmt, SQL_CLOSE);

    s.Stmt("SQLPrepare", SQLPrepare(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS), stmt);
    s.Stmt("SQLSetParam(1, SLONG)",
           SQLSetParam(stmt, 1, SQL_C_SLONG, SQL_INTEGER, 0, 0, &id, &id_length), stmt);
    s.Stmt("SQLSetParam(2, CHAR)",
           SQLSetParam(stmt, 2, SQL_C_CHAR, SQL_VARCHAR, 20, 0, text, &text_length), stmt);
    id = 3;
    std::snprintf(text, sizeof text, "kept");
    s.Stmt("SQLExecute", SQLExecute(stmt), stmt);
    s.Dbc("SQLTransact(COMMIT)", SQLTransact(SQL_NULL_HENV, s.dbc(), SQL_COMMIT));
    SQLFreeStmt(stmt, SQL_RESET_PARAMS);
    Exec(s, stmt, "SELECT id, s FROM " + t + " ORDER BY id");
    RecordColAttributes(s, stmt);
    DumpResultSet(s, stmt);
    SQLFreeStmt(stmt, SQL_CLOSE);
    s.Dbc("SQLSetConnectOption(AUTOCOMMIT on)",
          SQLSetConnectOption(s.dbc(), SQL_AUTOCOMMIT, SQL_AUTOCOMMIT_ON));
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  autocommit=0"));
  EXPECT_TRUE(HasLine(direct, "  max_rows=5"));
  EXPECT_TRUE(HasLineContaining(direct, "'kept'"));
  EXPECT_FALSE(HasLineContaining(direct, "'row 1'"));
  EXPECT_TRUE(HasLineContaining(direct, "SQLColAttributes(1, COUNT) -> SQL_SUCCESS 2"));
}

}  // namespace
}  // namespace conformance
