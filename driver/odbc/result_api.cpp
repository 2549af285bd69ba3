// Result sets: describing columns, binding, fetching, positioned operations.
#include "api.h"
#include "text_attributes.h"

using namespace odbcpool;

namespace {

SQLRETURN describe_col(Statement& s, bool wide, SQLUSMALLINT column, SQLPOINTER name,
                       SQLSMALLINT capacity, SQLSMALLINT* name_length, SQLSMALLINT* type,
                       SQLULEN* size, SQLSMALLINT* digits, SQLSMALLINT* nullable) {
  const FunctionTable& fn = s.fn();
  return text_out(
      s, wide, fn.SQLDescribeCol != nullptr, fn.SQLDescribeColW != nullptr, "SQLDescribeCol",
      TextOut{wide, name, capacity, Units::Characters}, name_length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc =
            fn.SQLDescribeCol(s.target(), column, b, small(cap), &n, type, size, digits, nullable);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc =
            fn.SQLDescribeColW(s.target(), column, b, small(cap), &n, type, size, digits, nullable);
        *len = n;
        return rc;
      });
}

}  // namespace

namespace odbcpool {

SQLRETURN col_attribute(Statement& s, const ColAttributeCall& call, bool wide, SQLUSMALLINT column,
                        SQLUSMALLINT field, SQLPOINTER text, SQLSMALLINT capacity,
                        SQLSMALLINT* length, SQLLEN* numeric) {
  const auto call_ansi = [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
    SQLSMALLINT n = 0;
    SQLRETURN rc = call.ansi(s.target(), column, field, b, small(cap), &n, numeric);
    *len = n;
    return rc;
  };
  const auto call_wide_form = [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
    SQLSMALLINT n = 0;
    SQLRETURN rc = call.wide(s.target(), column, field, b, small(cap), &n, numeric);
    *len = n;
    return rc;
  };
  if (!is_text_descriptor_field(static_cast<SQLSMALLINT>(call.odbc3_field(field)))) {
    // Numeric fields need no conversion: either form will do.
    const bool target_wide = call_wide(wide, call.ansi, call.wide, call.name);
    return target_wide ? call.wide(s.target(), column, field, text, capacity, length, numeric)
                       : call.ansi(s.target(), column, field, text, capacity, length, numeric);
  }
  return text_out(s, wide, call.ansi != nullptr, call.wide != nullptr, call.name,
                  TextOut{wide, text, capacity, Units::Bytes}, length, call_ansi, call_wide_form);
}

}  // namespace odbcpool

namespace {}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDescribeCol(SQLHSTMT handle, SQLUSMALLINT column,
                                                 SQLCHAR* name, SQLSMALLINT capacity,
                                                 SQLSMALLINT* name_length, SQLSMALLINT* type,
                                                 SQLULEN* size, SQLSMALLINT* digits,
                                                 SQLSMALLINT* nullable) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return describe_col(s, false, column, name, capacity, name_length, type, size, digits,
                        nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDescribeColW(SQLHSTMT handle, SQLUSMALLINT column,
                                                  SQLWCHAR* name, SQLSMALLINT capacity,
                                                  SQLSMALLINT* name_length, SQLSMALLINT* type,
                                                  SQLULEN* size, SQLSMALLINT* digits,
                                                  SQLSMALLINT* nullable) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return describe_col(s, true, column, name, capacity, name_length, type, size, digits, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColAttribute(SQLHSTMT handle, SQLUSMALLINT column,
                                                  SQLUSMALLINT field, SQLPOINTER text,
                                                  SQLSMALLINT capacity, SQLSMALLINT* length,
                                                  SQLLEN* numeric) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return col_attribute(s, ColAttributeCall::of(s.fn()), false, column, field, text, capacity,
                         length, numeric);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColAttributeW(SQLHSTMT handle, SQLUSMALLINT column,
                                                   SQLUSMALLINT field, SQLPOINTER text,
                                                   SQLSMALLINT capacity, SQLSMALLINT* length,
                                                   SQLLEN* numeric) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return col_attribute(s, ColAttributeCall::of(s.fn()), true, column, field, text, capacity,
                         length, numeric);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBindCol(SQLHSTMT handle, SQLUSMALLINT column,
                                             SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                                             SQLLEN* indicator) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLBindCol, "SQLBindCol")(s.target(), column, c_type, value, capacity,
                                                    indicator);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFetch(SQLHSTMT handle) {
  return guarded<Statement>(
      handle, [](Statement& s) { return require(s.fn().SQLFetch, "SQLFetch")(s.target()); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFetchScroll(SQLHSTMT handle, SQLSMALLINT orientation,
                                                 SQLLEN offset) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLFetchScroll, "SQLFetchScroll")(s.target(), orientation, offset);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLExtendedFetch(SQLHSTMT handle, SQLUSMALLINT orientation,
                                                   SQLLEN offset, SQLULEN* row_count,
                                                   SQLUSMALLINT* row_status) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLExtendedFetch, "SQLExtendedFetch")(s.target(), orientation, offset,
                                                                row_count, row_status);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetData(SQLHSTMT handle, SQLUSMALLINT column,
                                             SQLSMALLINT c_type, SQLPOINTER value, SQLLEN capacity,
                                             SQLLEN* indicator) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLGetData, "SQLGetData")(s.target(), column, c_type, value, capacity,
                                                    indicator);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetPos(SQLHSTMT handle, SQLSETPOSIROW row,
                                            SQLUSMALLINT operation, SQLUSMALLINT lock) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLSetPos, "SQLSetPos")(s.target(), row, operation, lock);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBulkOperations(SQLHSTMT handle, SQLSMALLINT operation) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLBulkOperations, "SQLBulkOperations")(s.target(), operation);
  });
}
