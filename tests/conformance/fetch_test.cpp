// Fetching: SQLBindCol with truncation and NULL indicators, SQLGetData of
// long values in chunks, and scrollable cursors.
#include <cstring>

#include "conformance_fixture.h"
#include "values.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Fetch);

void CreateNames(Session& s, const std::string& t) {
  DropTable(s, t);
  ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER, name VARCHAR(40), note VARCHAR(100))",
              "INSERT INTO " + t + " VALUES (1, 'alpha', NULL)",
              "INSERT INTO " + t + " VALUES (2, 'a name longer than eight', 'n2')",
              "INSERT INTO " + t + " VALUES (3, NULL, 'n3')"});
}

TEST_P(Fetch, BindColTruncationAndNulls) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("bindcol");
    CreateNames(s, t);
    Statement stmt(s);
    SQLINTEGER id = 0;
    char name[8];
    char note[100];
    SQLLEN id_ind = 0;
    SQLLEN name_ind = 0;
    SQLLEN note_ind = 0;
    s.Stmt("SQLBindCol(1, SLONG)", SQLBindCol(stmt, 1, SQL_C_SLONG, &id, 0, &id_ind), stmt);
    s.Stmt("SQLBindCol(2, CHAR[8])", SQLBindCol(stmt, 2, SQL_C_CHAR, name, sizeof name, &name_ind),
           stmt);
    s.Stmt("SQLBindCol(3, CHAR[100])",
           SQLBindCol(stmt, 3, SQL_C_CHAR, note, sizeof note, &note_ind), stmt);
    Exec(s, stmt, "SELECT id, name, note FROM " + t + " ORDER BY id");
    for (int row = 0; row < kMaxRows; ++row) {
      std::memset(name, 0, sizeof name);
      std::memset(note, 0, sizeof note);
      const SQLRETURN rc = s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
      if (!SQL_SUCCEEDED(rc)) break;
      s.Log("  id=" + std::to_string(id) + "/" + Indicator(id_ind) +
            " name=" + FormatCValue(SQL_C_CHAR, name, sizeof name, name_ind) + "/" +
            Indicator(name_ind) + " note=" + FormatCValue(SQL_C_CHAR, note, sizeof note, note_ind) +
            "/" + Indicator(note_ind));
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);

    // A NULL value with no indicator to report it in: 22002.
    s.Stmt("SQLBindCol(3, no indicator)",
           SQLBindCol(stmt, 3, SQL_C_CHAR, note, sizeof note, nullptr), stmt);
    Exec(s, stmt, "SELECT id, name, note FROM " + t + " ORDER BY id");
    s.Stmt("SQLFetch (note NULL, no indicator)", SQLFetch(stmt), stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    s.Stmt("SQLFreeStmt(SQL_UNBIND)", SQLFreeStmt(stmt, SQL_UNBIND), stmt);
    Exec(s, stmt, "SELECT id, name, note FROM " + t + " ORDER BY id");
    s.Stmt("SQLFetch (unbound)", SQLFetch(stmt), stmt);
    char buffer[16];
    s.Stmt("SQLGetData(3, no indicator)",
           SQLGetData(stmt, 3, SQL_C_CHAR, buffer, sizeof buffer, nullptr), stmt);
    RecordGetData(s, stmt, 3, SQL_C_CHAR);
    // Out of range column numbers. Not SQLGetData against MariaDB
    // (MariaDbUncheckedColumnNumber): Connector/ODBC reads past its columns.
    if (!MariaDbUncheckedColumnNumber(s.target())) {
      s.Stmt("SQLGetData(4)", SQLGetData(stmt, 4, SQL_C_CHAR, buffer, sizeof buffer, nullptr),
             stmt);
    }
    s.Stmt("SQLBindCol(0, CHAR) without bookmarks",
           SQLBindCol(stmt, 0, SQL_C_CHAR, buffer, sizeof buffer, nullptr), stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  id=1/4 name='alpha'/5 note=NULL/SQL_NULL_DATA"));
  // Connector/ODBC fills all 8 bytes of the truncated value and leaves out
  // the terminator.
  EXPECT_TRUE(HasLine(direct, GetParam().IsMariadb() ? "  id=2/4 name='a name l'/24 note='n2'/2"
                                                     : "  id=2/4 name='a name '/24 note='n2'/2"));
  EXPECT_TRUE(HasLine(direct, "  id=3/4 name=NULL/SQL_NULL_DATA note='n3'/2"));
  EXPECT_TRUE(HasLineContaining(direct, ": 01004 "));
}

std::string LongText() {
  std::string text;
  for (int i = 0; text.size() < 5000; ++i) text += "line " + std::to_string(i) + ";";
  return text.substr(0, 5000);
}

TEST_P(Fetch, GetDataLongValuesInChunks) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("longdata");
    DropTable(s, t);
    ExecAll(s,
            {"CREATE TABLE " + t + " (id INTEGER, txt TEXT, bin " + s.target().BinaryType() + ")"});
    std::string text = LongText();
    std::vector<unsigned char> blob(3000);
    for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<unsigned char>(i * 7);
    Statement stmt(s);
    SQLLEN text_length = static_cast<SQLLEN>(text.size());
    SQLLEN blob_length = static_cast<SQLLEN>(blob.size());
    s.Stmt("SQLBindParameter(1, CHAR long)",
           SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_LONGVARCHAR, text.size(), 0,
                            text.data(), text_length, &text_length),
           stmt);
    s.Stmt("SQLBindParameter(2, BINARY long)",
           SQLBindParameter(stmt, 2, SQL_PARAM_INPUT, SQL_C_BINARY, SQL_LONGVARBINARY, blob.size(),
                            0, blob.data(), blob_length, &blob_length),
           stmt);
    Exec(s, stmt, "INSERT INTO " + t + " VALUES (1, ?, ?)");
    s.Stmt("SQLFreeStmt(SQL_RESET_PARAMS)", SQLFreeStmt(stmt, SQL_RESET_PARAMS), stmt);

    for (const SQLSMALLINT c_type : {SQL_C_CHAR, SQL_C_WCHAR, SQL_C_BINARY}) {
      Exec(s, stmt, "SELECT txt, bin FROM " + t);
      s.Stmt("SQLFetch", SQLFetch(stmt), stmt);
      for (SQLUSMALLINT column = 1; column <= 2; ++column) {
        std::string assembled;
        for (int call = 1; call < 20; ++call) {
          char chunk[1000];
          SQLLEN indicator = 0;
          const SQLRETURN rc = SQLGetData(stmt, column, c_type, chunk, sizeof chunk, &indicator);
          size_t got = 0;
          if (SQL_SUCCEEDED(rc) && indicator != SQL_NULL_DATA) {
            const size_t terminator = c_type == SQL_C_CHAR    ? 1
                                      : c_type == SQL_C_WCHAR ? sizeof(SQLWCHAR)
                                                              : 0;
            got = indicator == SQL_NO_TOTAL || indicator > static_cast<SQLLEN>(sizeof chunk)
                      ? sizeof chunk - terminator
                      : static_cast<size_t>(indicator);
            if (got + terminator > sizeof chunk) got = sizeof chunk - terminator;
            assembled.append(chunk, got);
          }
          s.Stmt("  get " + std::to_string(column) + " as " + CTypeName(c_type) + " call " +
                     std::to_string(call) + " ind=" + Indicator(indicator) +
                     " bytes=" + std::to_string(got),
                 rc, stmt);
          if (rc != SQL_SUCCESS_WITH_INFO) break;
        }
        if (c_type == SQL_C_WCHAR) {
          assembled = FromWide(reinterpret_cast<const SQLWCHAR*>(assembled.data()),
                               assembled.size() / sizeof(SQLWCHAR));
        }
        s.Log("  assembled " + std::to_string(assembled.size()) +
              " bytes, equals text: " + (assembled == text ? "yes" : "no") + ", equals blob: " +
              (assembled == std::string(blob.begin(), blob.end()) ? "yes" : "no"));
      }
      s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    }
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "  assembled 5000 bytes, equals text: yes, equals blob: no"));
  EXPECT_TRUE(HasLine(direct, "  assembled 3000 bytes, equals text: no, equals blob: yes"));
  EXPECT_TRUE(HasLineContaining(direct, "  get 1 as SQL_C_CHAR call 6 ind="));
}

TEST_P(Fetch, ScrollableStaticCursor) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("scroll");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t + " (id INTEGER)"});
    for (int i = 1; i <= 5; ++i) {
      ExecAll(s, {"INSERT INTO " + t + " VALUES (" + std::to_string(i) + ")"});
    }
    Statement stmt(s);
    s.Stmt("SQLSetStmtAttr(CURSOR_TYPE, STATIC)",
           SQLSetStmtAttr(stmt, SQL_ATTR_CURSOR_TYPE,
                          reinterpret_cast<SQLPOINTER>(SQL_CURSOR_STATIC), 0),
           stmt);
    SQLULEN cursor_type = 0;
    s.Stmt("SQLGetStmtAttr(CURSOR_TYPE)",
           SQLGetStmtAttr(stmt, SQL_ATTR_CURSOR_TYPE, &cursor_type, 0, nullptr), stmt);
    s.Log("  cursor_type=" + std::to_string(cursor_type));
    SQLINTEGER id = 0;
    SQLLEN ind = 0;
    s.Stmt("SQLBindCol", SQLBindCol(stmt, 1, SQL_C_SLONG, &id, 0, &ind), stmt);
    Exec(s, stmt, "SELECT id FROM " + t + " ORDER BY id");
    const struct {
      const char* name;
      SQLSMALLINT orientation;
      SQLLEN offset;
    } moves[] = {{"NEXT", SQL_FETCH_NEXT, 0},
                 {"LAST", SQL_FETCH_LAST, 0},
                 {"PRIOR", SQL_FETCH_PRIOR, 0},
                 {"ABSOLUTE 2", SQL_FETCH_ABSOLUTE, 2},
                 {"RELATIVE 2", SQL_FETCH_RELATIVE, 2},
                 {"FIRST", SQL_FETCH_FIRST, 0},
                 {"PRIOR", SQL_FETCH_PRIOR, 0},
                 {"ABSOLUTE -1", SQL_FETCH_ABSOLUTE, -1},
                 {"NEXT", SQL_FETCH_NEXT, 0}};
    for (const auto& move : moves) {
      id = -1;
      const SQLRETURN rc = s.Stmt(std::string("SQLFetchScroll ") + move.name,
                                  SQLFetchScroll(stmt, move.orientation, move.offset), stmt);
      if (SQL_SUCCEEDED(rc)) s.Log("  id=" + std::to_string(id));
    }
    s.Stmt("SQLCloseCursor", SQLCloseCursor(stmt), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLine(direct, "SQLFetchScroll ABSOLUTE 2 -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "  id=5"));
}

}  // namespace
}  // namespace conformance
