// SQLGetInfo (strings and integers, A and W) and SQLGetFunctions: through
// odbcpool both must answer for the target.
#include <vector>

#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Info);

enum class Kind { kString, kU16, kU32 };

struct InfoType {
  SQLUSMALLINT id;
  const char* name;
  Kind kind;
};

#define INFO(id, kind)  \
  InfoType {            \
    id, #id, Kind::kind \
  }

const InfoType kInfoTypes[] = {
    INFO(SQL_ACCESSIBLE_PROCEDURES, kString),
    INFO(SQL_ACCESSIBLE_TABLES, kString),
    INFO(SQL_CATALOG_NAME, kString),
    INFO(SQL_CATALOG_NAME_SEPARATOR, kString),
    INFO(SQL_CATALOG_TERM, kString),
    INFO(SQL_COLLATION_SEQ, kString),
    INFO(SQL_COLUMN_ALIAS, kString),
    INFO(SQL_DATA_SOURCE_NAME, kString),
    INFO(SQL_DATA_SOURCE_READ_ONLY, kString),
    INFO(SQL_DATABASE_NAME, kString),
    INFO(SQL_DBMS_NAME, kString),
    INFO(SQL_DBMS_VER, kString),
    INFO(SQL_DESCRIBE_PARAMETER, kString),
    INFO(SQL_DM_VER, kString),
    INFO(SQL_DRIVER_NAME, kString),
    INFO(SQL_DRIVER_ODBC_VER, kString),
    INFO(SQL_DRIVER_VER, kString),
    INFO(SQL_EXPRESSIONS_IN_ORDERBY, kString),
    INFO(SQL_IDENTIFIER_QUOTE_CHAR, kString),
    INFO(SQL_INTEGRITY, kString),
    INFO(SQL_KEYWORDS, kString),
    INFO(SQL_LIKE_ESCAPE_CLAUSE, kString),
    INFO(SQL_MAX_ROW_SIZE_INCLUDES_LONG, kString),
    INFO(SQL_MULT_RESULT_SETS, kString),
    INFO(SQL_MULTIPLE_ACTIVE_TXN, kString),
    INFO(SQL_NEED_LONG_DATA_LEN, kString),
    INFO(SQL_ODBC_VER, kString),
    INFO(SQL_ORDER_BY_COLUMNS_IN_SELECT, kString),
    INFO(SQL_PROCEDURE_TERM, kString),
    INFO(SQL_PROCEDURES, kString),
    INFO(SQL_ROW_UPDATES, kString),
    INFO(SQL_SCHEMA_TERM, kString),
    INFO(SQL_SEARCH_PATTERN_ESCAPE, kString),
    INFO(SQL_SERVER_NAME, kString),
    INFO(SQL_SPECIAL_CHARACTERS, kString),
    INFO(SQL_TABLE_TERM, kString),
    INFO(SQL_USER_NAME, kString),
    INFO(SQL_XOPEN_CLI_YEAR, kString),
    INFO(SQL_ACTIVE_ENVIRONMENTS, kU16),
    INFO(SQL_CATALOG_LOCATION, kU16),
    INFO(SQL_CONCAT_NULL_BEHAVIOR, kU16),
    INFO(SQL_CORRELATION_NAME, kU16),
    INFO(SQL_CURSOR_COMMIT_BEHAVIOR, kU16),
    INFO(SQL_CURSOR_ROLLBACK_BEHAVIOR, kU16),
    INFO(SQL_FILE_USAGE, kU16),
    INFO(SQL_GROUP_BY, kU16),
    INFO(SQL_IDENTIFIER_CASE, kU16),
    INFO(SQL_MAX_CATALOG_NAME_LEN, kU16),
    INFO(SQL_MAX_COLUMN_NAME_LEN, kU16),
    INFO(SQL_MAX_COLUMNS_IN_SELECT, kU16),
    INFO(SQL_MAX_CONCURRENT_ACTIVITIES, kU16),
    INFO(SQL_MAX_CURSOR_NAME_LEN, kU16),
    INFO(SQL_MAX_DRIVER_CONNECTIONS, kU16),
    INFO(SQL_MAX_IDENTIFIER_LEN, kU16),
    INFO(SQL_MAX_SCHEMA_NAME_LEN, kU16),
    INFO(SQL_MAX_TABLE_NAME_LEN, kU16),
    INFO(SQL_MAX_USER_NAME_LEN, kU16),
    INFO(SQL_NON_NULLABLE_COLUMNS, kU16),
    INFO(SQL_NULL_COLLATION, kU16),
    INFO(SQL_QUOTED_IDENTIFIER_CASE, kU16),
    INFO(SQL_TXN_CAPABLE, kU16),
    INFO(SQL_AGGREGATE_FUNCTIONS, kU32),
    INFO(SQL_ALTER_TABLE, kU32),
    INFO(SQL_ASYNC_MODE, kU32),
    INFO(SQL_BATCH_ROW_COUNT, kU32),
    INFO(SQL_BATCH_SUPPORT, kU32),
    INFO(SQL_BOOKMARK_PERSISTENCE, kU32),
    INFO(SQL_CATALOG_USAGE, kU32),
    INFO(SQL_CONVERT_FUNCTIONS, kU32),
    INFO(SQL_CONVERT_INTEGER, kU32),
    INFO(SQL_CONVERT_VARCHAR, kU32),
    INFO(SQL_CREATE_TABLE, kU32),
    INFO(SQL_DATETIME_LITERALS, kU32),
    INFO(SQL_DEFAULT_TXN_ISOLATION, kU32),
    INFO(SQL_DYNAMIC_CURSOR_ATTRIBUTES1, kU32),
    INFO(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1, kU32),
    INFO(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2, kU32),
    INFO(SQL_GETDATA_EXTENSIONS, kU32),
    INFO(SQL_INDEX_KEYWORDS, kU32),
    INFO(SQL_INFO_SCHEMA_VIEWS, kU32),
    INFO(SQL_INSERT_STATEMENT, kU32),
    INFO(SQL_KEYSET_CURSOR_ATTRIBUTES1, kU32),
    INFO(SQL_LOCK_TYPES, kU32),
    INFO(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, kU32),
    INFO(SQL_MAX_BINARY_LITERAL_LEN, kU32),
    INFO(SQL_MAX_CHAR_LITERAL_LEN, kU32),
    INFO(SQL_MAX_INDEX_SIZE, kU32),
    INFO(SQL_MAX_ROW_SIZE, kU32),
    INFO(SQL_MAX_STATEMENT_LEN, kU32),
    INFO(SQL_NUMERIC_FUNCTIONS, kU32),
    INFO(SQL_ODBC_INTERFACE_CONFORMANCE, kU32),
    INFO(SQL_OJ_CAPABILITIES, kU32),
    INFO(SQL_PARAM_ARRAY_ROW_COUNTS, kU32),
    INFO(SQL_PARAM_ARRAY_SELECTS, kU32),
    INFO(SQL_POS_OPERATIONS, kU32),
    INFO(SQL_SCHEMA_USAGE, kU32),
    INFO(SQL_SCROLL_OPTIONS, kU32),
    INFO(SQL_SQL_CONFORMANCE, kU32),
    INFO(SQL_SQL92_PREDICATES, kU32),
    INFO(SQL_SQL92_STRING_FUNCTIONS, kU32),
    INFO(SQL_STATIC_CURSOR_ATTRIBUTES1, kU32),
    INFO(SQL_STATIC_SENSITIVITY, kU32),
    INFO(SQL_STRING_FUNCTIONS, kU32),
    INFO(SQL_SUBQUERIES, kU32),
    INFO(SQL_SYSTEM_FUNCTIONS, kU32),
    INFO(SQL_TIMEDATE_FUNCTIONS, kU32),
    INFO(SQL_TXN_ISOLATION_OPTION, kU32),
    INFO(SQL_UNION, kU32),
};

void RecordInfo(Session& s, const InfoType& info, bool wide) {
  const std::string call = std::string(wide ? "SQLGetInfoW(" : "SQLGetInfo(") + info.name + ")";
  SQLSMALLINT length = -1;
  if (info.kind == Kind::kString) {
    if (wide) {
      std::vector<SQLWCHAR> buffer(2048, 0);
      const SQLRETURN rc = s.Dbc(
          call, SQLGetInfoW(s.dbc(), info.id, buffer.data(),
                            static_cast<SQLSMALLINT>(buffer.size() * sizeof(SQLWCHAR)), &length));
      if (SQL_SUCCEEDED(rc)) {
        s.Log("  len=" + std::to_string(length) + " " +
              Quote(FromWide(buffer.data(), length / sizeof(SQLWCHAR))));
      }
    } else {
      std::vector<char> buffer(4096, 0);
      const SQLRETURN rc =
          s.Dbc(call, SQLGetInfo(s.dbc(), info.id, buffer.data(),
                                 static_cast<SQLSMALLINT>(buffer.size()), &length));
      if (SQL_SUCCEEDED(rc)) s.Log("  len=" + std::to_string(length) + " " + Quote(buffer.data()));
    }
    return;
  }
  SQLUINTEGER value = 0xDEADBEEF;
  SQLRETURN rc;
  if (wide) {
    rc = s.Dbc(call, SQLGetInfoW(s.dbc(), info.id, &value, sizeof value, &length));
  } else {
    rc = s.Dbc(call, SQLGetInfo(s.dbc(), info.id, &value, sizeof value, &length));
  }
  if (!SQL_SUCCEEDED(rc)) return;
  // 16-bit answers leave the upper half of the 32-bit buffer untouched.
  const unsigned shown = info.kind == Kind::kU16 ? (value & 0xFFFF) : value;
  s.Log("  len=" + std::to_string(length) + " value=" + std::to_string(shown));
}

TEST_P(Info, StringsAndIntegers) {
  const Lines direct = RunBoth([](Session& s) {
    for (const InfoType& info : kInfoTypes) RecordInfo(s, info, false);
  });
  EXPECT_TRUE(HasLine(direct, "  len=" + std::to_string(GetParam().dsn.size() + 7) + " '" +
                                  GetParam().dsn + "_<side>'"));
  EXPECT_TRUE(HasLine(direct, GetParam().IsPostgres()  ? "  len=10 'PostgreSQL'"
                              : GetParam().IsMariadb() ? "  len=7 'MariaDB'"
                                                       : "  len=6 'SQLite'"));
  EXPECT_TRUE(HasLine(direct, "SQLGetInfo(SQL_TXN_CAPABLE) -> SQL_SUCCESS"));
}

TEST_P(Info, StringsAndIntegersWide) {
  const Lines direct = RunBoth([](Session& s) {
    for (const InfoType& info : kInfoTypes) RecordInfo(s, info, true);
  });
  EXPECT_TRUE(HasLine(direct, "  len=" + std::to_string(2 * (GetParam().dsn.size() + 7)) + " '" +
                                  GetParam().dsn + "_<side>'"));
  EXPECT_TRUE(HasLine(direct, GetParam().IsPostgres()  ? "  len=20 'PostgreSQL'"
                              : GetParam().IsMariadb() ? "  len=14 'MariaDB'"
                                                       : "  len=12 'SQLite'"));
}

// Truncation and odd arguments: too small buffers, no buffer, unknown types.
TEST_P(Info, TruncationAndErrors) {
  const Lines direct = RunBothExcept(AnsiOnlyTarget, [](Session& s) {
    char small[4] = {};
    SQLSMALLINT length = -1;
    s.Dbc("SQLGetInfo(DBMS_NAME, 4 bytes)",
          SQLGetInfo(s.dbc(), SQL_DBMS_NAME, small, sizeof small, &length));
    s.Log("  len=" + std::to_string(length) + " " + Quote(std::string(small, strnlen(small, 4))));
    SQLWCHAR wsmall[3] = {};
    length = -1;
    s.Dbc("SQLGetInfoW(DBMS_NAME, 6 bytes)",
          SQLGetInfoW(s.dbc(), SQL_DBMS_NAME, wsmall, sizeof wsmall, &length));
    s.Log("  len=" + std::to_string(length) + " " + Quote(FromWide(wsmall, wsmall[1] ? 2 : 1)));
    length = -1;
    s.Dbc("SQLGetInfo(DBMS_NAME, no buffer)",
          SQLGetInfo(s.dbc(), SQL_DBMS_NAME, nullptr, 0, &length));
    s.Log("  len=" + std::to_string(length));
    length = -1;
    s.Dbc("SQLGetInfoW(DBMS_NAME, no buffer)",
          SQLGetInfoW(s.dbc(), SQL_DBMS_NAME, nullptr, 0, &length));
    s.Log("  len=" + std::to_string(length));
    SQLUINTEGER value = 0;
    s.Dbc("SQLGetInfo(unknown 9999)", SQLGetInfo(s.dbc(), 9999, &value, sizeof value, &length));
  });
  if (!GetParam().wide_driver) {
    // SQLGetInfoW converted by odbcpool: truncated to whole characters,
    // 01004, and the full length in bytes, as the specification says.
    EXPECT_TRUE(HasLine(direct, "SQLGetInfoW(DBMS_NAME, 6 bytes) -> SQL_SUCCESS_WITH_INFO"));
    EXPECT_TRUE(HasLine(direct, GetParam().IsPostgres() ? "  len=20 'Po'" : "  len=12 'SQ'"));
  }
  if (GetParam().IsPostgres()) {
    EXPECT_TRUE(HasLine(direct, "SQLGetInfo(DBMS_NAME, 4 bytes) -> SQL_SUCCESS_WITH_INFO"));
    EXPECT_TRUE(HasLine(direct, "  len=10 'Pos'"));
  } else if (GetParam().IsMariadb()) {
    // Connector/ODBC truncates without 01004 but reports the full length.
    EXPECT_TRUE(HasLine(direct, "SQLGetInfo(DBMS_NAME, 4 bytes) -> SQL_SUCCESS"));
    EXPECT_TRUE(HasLine(direct, "  len=7 'Mar'"));
    EXPECT_TRUE(HasLine(direct, "  len=14 'Ma'"));
  } else {
    // The SQLite driver truncates without 01004 and reports the truncated length.
    EXPECT_TRUE(HasLine(direct, "  len=3 'SQL'"));
    EXPECT_TRUE(HasLine(direct, "  len=6"));
  }
}

TEST_P(Info, GetFunctions) {
  const Lines direct = RunBoth([](Session& s) {
    SQLUSMALLINT bitmap[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE] = {};
    s.Dbc("SQLGetFunctions(ODBC3_ALL)",
          SQLGetFunctions(s.dbc(), SQL_API_ODBC3_ALL_FUNCTIONS, bitmap));
    std::string line = "  supported:";
    for (SQLUSMALLINT id = 0; id < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16; ++id) {
      if (SQL_FUNC_EXISTS(bitmap, id)) line += " " + std::to_string(id);
    }
    s.Log(line);
    SQLUSMALLINT all[100] = {};
    s.Dbc("SQLGetFunctions(ALL)", SQLGetFunctions(s.dbc(), SQL_API_ALL_FUNCTIONS, all));
    line = "  supported (ODBC 2 list):";
    for (SQLUSMALLINT id = 0; id < 100; ++id) {
      if (all[id]) line += " " + std::to_string(id);
    }
    s.Log(line);
    for (const SQLUSMALLINT id :
         {SQL_API_SQLFETCH, SQL_API_SQLDESCRIBEPARAM, SQL_API_SQLBULKOPERATIONS, SQL_API_SQLSETPOS,
          SQL_API_SQLBROWSECONNECT, SQL_API_SQLCOLUMNPRIVILEGES, SQL_API_SQLPROCEDURECOLUMNS,
          SQL_API_SQLFOREIGNKEYS, SQL_API_SQLGETDESCFIELD, SQL_API_SQLCOPYDESC,
          SQL_API_SQLNATIVESQL, SQL_API_SQLCANCEL, SQL_API_SQLFETCHSCROLL}) {
      SQLUSMALLINT supported = 99;
      s.Dbc("SQLGetFunctions(" + std::to_string(id) + ")",
            SQLGetFunctions(s.dbc(), id, &supported));
      s.Log("  supported=" + std::to_string(supported));
    }
  });
  EXPECT_TRUE(
      HasLine(direct, "SQLGetFunctions(" + std::to_string(SQL_API_SQLFETCH) + ") -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "  supported=1"));
}

}  // namespace
}  // namespace conformance
