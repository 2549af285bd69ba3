// Catalog functions: every name argument is input text, converted together
// when the target lacks the application's form.
#include "api.h"

using namespace odbcpool;

// A name argument in the target's form: pointer and length.
#define ODBCPOOL_W(t) t.wide_text(), small_input(t.wide_length(), "a catalog function argument")
#define ODBCPOOL_A(t) t.ansi_text(), small_input(t.ansi_length(), "a catalog function argument")

namespace {

SQLRETURN tables(Statement& s, TextIn c, TextIn sc, TextIn t, TextIn ty) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLTables, fn.SQLTablesW, "SQLTables")) {
    return fn.SQLTablesW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t), ODBCPOOL_W(ty));
  }
  return fn.SQLTables(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t), ODBCPOOL_A(ty));
}

SQLRETURN columns(Statement& s, TextIn c, TextIn sc, TextIn t, TextIn col) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLColumns, fn.SQLColumnsW, "SQLColumns")) {
    return fn.SQLColumnsW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t),
                          ODBCPOOL_W(col));
  }
  return fn.SQLColumns(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t), ODBCPOOL_A(col));
}

SQLRETURN column_privileges(Statement& s, TextIn c, TextIn sc, TextIn t, TextIn col) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLColumnPrivileges, fn.SQLColumnPrivilegesW,
                "SQLColumnPrivileges")) {
    return fn.SQLColumnPrivilegesW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t),
                                   ODBCPOOL_W(col));
  }
  return fn.SQLColumnPrivileges(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t),
                                ODBCPOOL_A(col));
}

SQLRETURN foreign_keys(Statement& s, TextIn pc, TextIn ps, TextIn pt, TextIn fc, TextIn fs,
                       TextIn ft) {
  const FunctionTable& fn = s.fn();
  if (call_wide(pc.is_wide(), fn.SQLForeignKeys, fn.SQLForeignKeysW, "SQLForeignKeys")) {
    return fn.SQLForeignKeysW(s.target(), ODBCPOOL_W(pc), ODBCPOOL_W(ps), ODBCPOOL_W(pt),
                              ODBCPOOL_W(fc), ODBCPOOL_W(fs), ODBCPOOL_W(ft));
  }
  return fn.SQLForeignKeys(s.target(), ODBCPOOL_A(pc), ODBCPOOL_A(ps), ODBCPOOL_A(pt),
                           ODBCPOOL_A(fc), ODBCPOOL_A(fs), ODBCPOOL_A(ft));
}

SQLRETURN primary_keys(Statement& s, TextIn c, TextIn sc, TextIn t) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLPrimaryKeys, fn.SQLPrimaryKeysW, "SQLPrimaryKeys")) {
    return fn.SQLPrimaryKeysW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t));
  }
  return fn.SQLPrimaryKeys(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t));
}

SQLRETURN procedure_columns(Statement& s, TextIn c, TextIn sc, TextIn p, TextIn col) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLProcedureColumns, fn.SQLProcedureColumnsW,
                "SQLProcedureColumns")) {
    return fn.SQLProcedureColumnsW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(p),
                                   ODBCPOOL_W(col));
  }
  return fn.SQLProcedureColumns(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(p),
                                ODBCPOOL_A(col));
}

SQLRETURN procedures(Statement& s, TextIn c, TextIn sc, TextIn p) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLProcedures, fn.SQLProceduresW, "SQLProcedures")) {
    return fn.SQLProceduresW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(p));
  }
  return fn.SQLProcedures(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(p));
}

SQLRETURN special_columns(Statement& s, SQLUSMALLINT id_type, TextIn c, TextIn sc, TextIn t,
                          SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLSpecialColumns, fn.SQLSpecialColumnsW, "SQLSpecialColumns")) {
    return fn.SQLSpecialColumnsW(s.target(), id_type, ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t),
                                 scope, nullable);
  }
  return fn.SQLSpecialColumns(s.target(), id_type, ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t),
                              scope, nullable);
}

SQLRETURN statistics(Statement& s, TextIn c, TextIn sc, TextIn t, SQLUSMALLINT unique,
                     SQLUSMALLINT reserved) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLStatistics, fn.SQLStatisticsW, "SQLStatistics")) {
    return fn.SQLStatisticsW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t), unique,
                             reserved);
  }
  return fn.SQLStatistics(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t), unique,
                          reserved);
}

SQLRETURN table_privileges(Statement& s, TextIn c, TextIn sc, TextIn t) {
  const FunctionTable& fn = s.fn();
  if (call_wide(c.is_wide(), fn.SQLTablePrivileges, fn.SQLTablePrivilegesW, "SQLTablePrivileges")) {
    return fn.SQLTablePrivilegesW(s.target(), ODBCPOOL_W(c), ODBCPOOL_W(sc), ODBCPOOL_W(t));
  }
  return fn.SQLTablePrivileges(s.target(), ODBCPOOL_A(c), ODBCPOOL_A(sc), ODBCPOOL_A(t));
}

SQLRETURN type_info(Statement& s, bool wide, SQLSMALLINT type) {
  const FunctionTable& fn = s.fn();
  if (call_wide(wide, fn.SQLGetTypeInfo, fn.SQLGetTypeInfoW, "SQLGetTypeInfo")) {
    return fn.SQLGetTypeInfoW(s.target(), type);
  }
  return fn.SQLGetTypeInfo(s.target(), type);
}

}  // namespace

#define A(p, n) TextIn::ansi(p, n)
#define W(p, n) TextIn::wide(p, n)

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLTables(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                            SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl, SQLCHAR* ty,
                                            SQLSMALLINT tyl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return tables(st, A(c, cl), A(s, sl), A(t, tl), A(ty, tyl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLTablesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                             SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl,
                                             SQLWCHAR* ty, SQLSMALLINT tyl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return tables(st, W(c, cl), W(s, sl), W(t, tl), W(ty, tyl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColumns(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                             SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl,
                                             SQLCHAR* col, SQLSMALLINT coll) {
  return guarded<Statement>(
      h, [&](Statement& st) { return columns(st, A(c, cl), A(s, sl), A(t, tl), A(col, coll)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColumnsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl, SQLWCHAR* s,
                                              SQLSMALLINT sl, SQLWCHAR* t, SQLSMALLINT tl,
                                              SQLWCHAR* col, SQLSMALLINT coll) {
  return guarded<Statement>(
      h, [&](Statement& st) { return columns(st, W(c, cl), W(s, sl), W(t, tl), W(col, coll)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColumnPrivileges(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl,
                                                      SQLCHAR* s, SQLSMALLINT sl, SQLCHAR* t,
                                                      SQLSMALLINT tl, SQLCHAR* col,
                                                      SQLSMALLINT coll) {
  return guarded<Statement>(h, [&](Statement& st) {
    return column_privileges(st, A(c, cl), A(s, sl), A(t, tl), A(col, coll));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColumnPrivilegesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                       SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* t,
                                                       SQLSMALLINT tl, SQLWCHAR* col,
                                                       SQLSMALLINT coll) {
  return guarded<Statement>(h, [&](Statement& st) {
    return column_privileges(st, W(c, cl), W(s, sl), W(t, tl), W(col, coll));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLForeignKeys(SQLHSTMT h, SQLCHAR* pc, SQLSMALLINT pcl,
                                                 SQLCHAR* ps, SQLSMALLINT psl, SQLCHAR* pt,
                                                 SQLSMALLINT ptl, SQLCHAR* fc, SQLSMALLINT fcl,
                                                 SQLCHAR* fs, SQLSMALLINT fsl, SQLCHAR* ft,
                                                 SQLSMALLINT ftl) {
  return guarded<Statement>(h, [&](Statement& st) {
    return foreign_keys(st, A(pc, pcl), A(ps, psl), A(pt, ptl), A(fc, fcl), A(fs, fsl), A(ft, ftl));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLForeignKeysW(SQLHSTMT h, SQLWCHAR* pc, SQLSMALLINT pcl,
                                                  SQLWCHAR* ps, SQLSMALLINT psl, SQLWCHAR* pt,
                                                  SQLSMALLINT ptl, SQLWCHAR* fc, SQLSMALLINT fcl,
                                                  SQLWCHAR* fs, SQLSMALLINT fsl, SQLWCHAR* ft,
                                                  SQLSMALLINT ftl) {
  return guarded<Statement>(h, [&](Statement& st) {
    return foreign_keys(st, W(pc, pcl), W(ps, psl), W(pt, ptl), W(fc, fcl), W(fs, fsl), W(ft, ftl));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLPrimaryKeys(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                                 SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return primary_keys(st, A(c, cl), A(s, sl), A(t, tl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLPrimaryKeysW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                  SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* t,
                                                  SQLSMALLINT tl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return primary_keys(st, W(c, cl), W(s, sl), W(t, tl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLProcedureColumns(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl,
                                                      SQLCHAR* s, SQLSMALLINT sl, SQLCHAR* p,
                                                      SQLSMALLINT pl, SQLCHAR* col,
                                                      SQLSMALLINT coll) {
  return guarded<Statement>(h, [&](Statement& st) {
    return procedure_columns(st, A(c, cl), A(s, sl), A(p, pl), A(col, coll));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLProcedureColumnsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                       SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* p,
                                                       SQLSMALLINT pl, SQLWCHAR* col,
                                                       SQLSMALLINT coll) {
  return guarded<Statement>(h, [&](Statement& st) {
    return procedure_columns(st, W(c, cl), W(s, sl), W(p, pl), W(col, coll));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLProcedures(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                                SQLSMALLINT sl, SQLCHAR* p, SQLSMALLINT pl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return procedures(st, A(c, cl), A(s, sl), A(p, pl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLProceduresW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                 SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* p,
                                                 SQLSMALLINT pl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return procedures(st, W(c, cl), W(s, sl), W(p, pl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSpecialColumns(SQLHSTMT h, SQLUSMALLINT id_type, SQLCHAR* c,
                                                    SQLSMALLINT cl, SQLCHAR* s, SQLSMALLINT sl,
                                                    SQLCHAR* t, SQLSMALLINT tl, SQLUSMALLINT scope,
                                                    SQLUSMALLINT nullable) {
  return guarded<Statement>(h, [&](Statement& st) {
    return special_columns(st, id_type, A(c, cl), A(s, sl), A(t, tl), scope, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSpecialColumnsW(SQLHSTMT h, SQLUSMALLINT id_type, SQLWCHAR* c,
                                                     SQLSMALLINT cl, SQLWCHAR* s, SQLSMALLINT sl,
                                                     SQLWCHAR* t, SQLSMALLINT tl,
                                                     SQLUSMALLINT scope, SQLUSMALLINT nullable) {
  return guarded<Statement>(h, [&](Statement& st) {
    return special_columns(st, id_type, W(c, cl), W(s, sl), W(t, tl), scope, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLStatistics(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl, SQLCHAR* s,
                                                SQLSMALLINT sl, SQLCHAR* t, SQLSMALLINT tl,
                                                SQLUSMALLINT unique, SQLUSMALLINT reserved) {
  return guarded<Statement>(h, [&](Statement& st) {
    return statistics(st, A(c, cl), A(s, sl), A(t, tl), unique, reserved);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLStatisticsW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                 SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* t,
                                                 SQLSMALLINT tl, SQLUSMALLINT unique,
                                                 SQLUSMALLINT reserved) {
  return guarded<Statement>(h, [&](Statement& st) {
    return statistics(st, W(c, cl), W(s, sl), W(t, tl), unique, reserved);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLTablePrivileges(SQLHSTMT h, SQLCHAR* c, SQLSMALLINT cl,
                                                     SQLCHAR* s, SQLSMALLINT sl, SQLCHAR* t,
                                                     SQLSMALLINT tl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return table_privileges(st, A(c, cl), A(s, sl), A(t, tl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLTablePrivilegesW(SQLHSTMT h, SQLWCHAR* c, SQLSMALLINT cl,
                                                      SQLWCHAR* s, SQLSMALLINT sl, SQLWCHAR* t,
                                                      SQLSMALLINT tl) {
  return guarded<Statement>(
      h, [&](Statement& st) { return table_privileges(st, W(c, cl), W(s, sl), W(t, tl)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type) {
  return guarded<Statement>(h, [&](Statement& st) { return type_info(st, false, type); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetTypeInfoW(SQLHSTMT h, SQLSMALLINT type) {
  return guarded<Statement>(h, [&](Statement& st) { return type_info(st, true, type); });
}
