// Result metadata: SQLDescribeCol and SQLColAttribute in A and W forms.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Describe);

struct Field {
  SQLUSMALLINT id;
  const char* name;
  bool text;
};

#define FIELD(id, text) \
  Field {               \
    id, #id, text       \
  }

const Field kFields[] = {
    FIELD(SQL_DESC_NAME, true),
    FIELD(SQL_DESC_LABEL, true),
    FIELD(SQL_DESC_BASE_COLUMN_NAME, true),
    FIELD(SQL_DESC_BASE_TABLE_NAME, true),
    FIELD(SQL_DESC_TABLE_NAME, true),
    FIELD(SQL_DESC_SCHEMA_NAME, true),
    FIELD(SQL_DESC_CATALOG_NAME, true),
    FIELD(SQL_DESC_TYPE_NAME, true),
    FIELD(SQL_DESC_LOCAL_TYPE_NAME, true),
    FIELD(SQL_DESC_LITERAL_PREFIX, true),
    FIELD(SQL_DESC_LITERAL_SUFFIX, true),
    FIELD(SQL_DESC_COUNT, false),
    FIELD(SQL_DESC_TYPE, false),
    FIELD(SQL_DESC_CONCISE_TYPE, false),
    FIELD(SQL_DESC_LENGTH, false),
    FIELD(SQL_DESC_OCTET_LENGTH, false),
    FIELD(SQL_DESC_PRECISION, false),
    FIELD(SQL_DESC_SCALE, false),
    FIELD(SQL_DESC_DISPLAY_SIZE, false),
    FIELD(SQL_DESC_NULLABLE, false),
    FIELD(SQL_DESC_UNSIGNED, false),
    FIELD(SQL_DESC_AUTO_UNIQUE_VALUE, false),
    FIELD(SQL_DESC_CASE_SENSITIVE, false),
    FIELD(SQL_DESC_SEARCHABLE, false),
    FIELD(SQL_DESC_UPDATABLE, false),
    FIELD(SQL_DESC_FIXED_PREC_SCALE, false),
    FIELD(SQL_DESC_NUM_PREC_RADIX, false),
    FIELD(SQL_DESC_UNNAMED, false),
    FIELD(SQL_COLUMN_LENGTH, false),
    FIELD(SQL_COLUMN_PRECISION, false),
};

void DescribeColumns(Session& s, SQLHSTMT stmt, SQLSMALLINT columns) {
  for (SQLUSMALLINT c = 1; c <= columns; ++c) {
    SQLCHAR name[128] = {};
    SQLWCHAR wname[128] = {};
    SQLSMALLINT length = -1;
    SQLSMALLINT type = -1;
    SQLULEN size = 0;
    SQLSMALLINT digits = -1;
    SQLSMALLINT nullable = -1;
    s.Stmt("SQLDescribeCol(" + std::to_string(c) + ")",
           SQLDescribeCol(stmt, c, name, sizeof name, &length, &type, &size, &digits, &nullable),
           stmt);
    s.Log("  " + Quote(reinterpret_cast<char*>(name)) + " len=" + std::to_string(length) +
          " type=" + std::to_string(type) + " size=" + std::to_string(size) +
          " digits=" + std::to_string(digits) + " nullable=" + std::to_string(nullable));
    s.Stmt("SQLDescribeColW(" + std::to_string(c) + ")",
           SQLDescribeColW(stmt, c, wname, 128, &length, &type, &size, &digits, &nullable), stmt);
    s.Log("  " + Quote(FromWide(wname, length >= 0 && length < 128 ? length : 0)) +
          " len=" + std::to_string(length) + " type=" + std::to_string(type) +
          " size=" + std::to_string(size) + " digits=" + std::to_string(digits) +
          " nullable=" + std::to_string(nullable));
    for (const Field& field : kFields) {
      const std::string where = std::string("(") + std::to_string(c) + ", " + field.name + ")";
      if (field.text) {
        char text[256] = {};
        SQLSMALLINT text_length = -1;
        s.Stmt("SQLColAttribute" + where,
               SQLColAttribute(stmt, c, field.id, text, sizeof text, &text_length, nullptr), stmt);
        s.Log("  " + Quote(text) + " len=" + std::to_string(text_length));
        SQLWCHAR wtext[256] = {};
        text_length = -1;
        s.Stmt("SQLColAttributeW" + where,
               SQLColAttributeW(stmt, c, field.id, wtext, sizeof wtext, &text_length, nullptr),
               stmt);
        s.Log("  " +
              Quote(FromWide(wtext, text_length >= 0 && text_length < 500
                                        ? text_length / sizeof(SQLWCHAR)
                                        : 0)) +
              " len=" + std::to_string(text_length));
      } else {
        SQLLEN number = -12345;
        s.Stmt("SQLColAttribute" + where,
               SQLColAttribute(stmt, c, field.id, nullptr, 0, nullptr, &number), stmt);
        SQLLEN wnumber = -12345;
        s.Stmt("SQLColAttributeW" + where,
               SQLColAttributeW(stmt, c, field.id, nullptr, 0, nullptr, &wnumber), stmt);
        s.Log("  " + std::to_string(number) + " / W " + std::to_string(wnumber));
      }
    }
  }
}

TEST_P(Describe, ColumnsAnsiAndWide) {
  const Lines direct = RunBoth([](Session& s) {
    const std::string t = s.Table("describe");
    DropTable(s, t);
    ExecAll(s, {"CREATE TABLE " + t +
                " (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(25), amount NUMERIC(9,3),"
                " ratio DOUBLE PRECISION, created TIMESTAMP, flag SMALLINT)"});
    Statement stmt(s);
    Exec(s, stmt, "SELECT id, label AS \"Label\", amount, ratio, created, flag, id + 1 FROM " + t);
    SQLSMALLINT columns = -1;
    s.Stmt("SQLNumResultCols", SQLNumResultCols(stmt, &columns), stmt);
    s.Log("  columns=" + std::to_string(columns));
    DescribeColumns(s, stmt, columns);
    // Out of range and truncated.
    SQLCHAR name[4] = {};
    SQLSMALLINT length = -1;
    s.Stmt("SQLDescribeCol(99)",
           SQLDescribeCol(stmt, 99, name, sizeof name, &length, nullptr, nullptr, nullptr, nullptr),
           stmt);
    s.Stmt("SQLDescribeCol(2) into 4 bytes",
           SQLDescribeCol(stmt, 2, name, sizeof name, &length, nullptr, nullptr, nullptr, nullptr),
           stmt);
    s.Log("  " + Quote(reinterpret_cast<char*>(name)) + " len=" + std::to_string(length));
    s.Stmt("SQLColAttribute(0, COUNT)",
           SQLColAttribute(stmt, 0, SQL_DESC_COUNT, nullptr, 0, nullptr, nullptr), stmt);
    s.Stmt("SQLFreeStmt(SQL_CLOSE)", SQLFreeStmt(stmt, SQL_CLOSE), stmt);
    DropTable(s, t);
  });
  EXPECT_TRUE(HasLineContaining(direct, "  'Label' len=5 type=12 size=25 "));
  EXPECT_TRUE(HasLine(direct, "  columns=7"));
}

}  // namespace
}  // namespace conformance
