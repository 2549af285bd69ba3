// Every name unixODBC 2.3.11 looks up when it loads a driver
// (DriverManager/SQLConnect.c: SQLDriverLoad, SQLDriverUnload, then each
// entry of template_func, and for the 37 with text arguments also <name>A
// and <name>W), as X-macros. CMakeLists.txt reads this file to give each
// one its libltdl alias, libodbcpool_floor_driver_LTX_<name>.
#pragma once

// Entry points that do what the connect cycle needs (floor_driver.cpp,
// floor_statement.cpp).
#define FLOOR_WORKING_ENTRY_POINTS(X) \
  X(SQLDriverLoad)                    \
  X(SQLDriverUnload)                  \
  X(SQLAllocConnect)                  \
  X(SQLAllocEnv)                      \
  X(SQLAllocHandle)                   \
  X(SQLAllocStmt)                     \
  X(SQLCancel)                        \
  X(SQLCloseCursor)                   \
  X(SQLConnect)                       \
  X(SQLConnectW)                      \
  X(SQLDisconnect)                    \
  X(SQLDriverConnect)                 \
  X(SQLDriverConnectW)                \
  X(SQLEndTran)                       \
  X(SQLError)                         \
  X(SQLErrorW)                        \
  X(SQLExecDirect)                    \
  X(SQLExecDirectW)                   \
  X(SQLExecute)                       \
  X(SQLFetch)                         \
  X(SQLFreeConnect)                   \
  X(SQLFreeEnv)                       \
  X(SQLFreeHandle)                    \
  X(SQLFreeStmt)                      \
  X(SQLGetConnectAttr)                \
  X(SQLGetConnectAttrW)               \
  X(SQLGetData)                       \
  X(SQLGetDiagField)                  \
  X(SQLGetDiagFieldW)                 \
  X(SQLGetDiagRec)                    \
  X(SQLGetDiagRecW)                   \
  X(SQLGetEnvAttr)                    \
  X(SQLGetFunctions)                  \
  X(SQLGetInfo)                       \
  X(SQLGetInfoW)                      \
  X(SQLGetStmtAttr)                   \
  X(SQLGetStmtAttrW)                  \
  X(SQLMoreResults)                   \
  X(SQLNumResultCols)                 \
  X(SQLPrepare)                       \
  X(SQLPrepareW)                      \
  X(SQLRowCount)                      \
  X(SQLSetConnectAttr)                \
  X(SQLSetConnectAttrW)               \
  X(SQLSetEnvAttr)                    \
  X(SQLSetStmtAttr)                   \
  X(SQLSetStmtAttrW)                  \
  X(SQLTransact)

// Entry points that exist only so that the lookup succeeds: each returns
// SQL_ERROR without a diagnostic record (refused_entry_points.cpp).
#define FLOOR_REFUSED_ENTRY_POINTS(X) \
  X(SQLAllocHandleStd)                \
  X(SQLBindCol)                       \
  X(SQLBindParam)                     \
  X(SQLBindParameter)                 \
  X(SQLBrowseConnect)                 \
  X(SQLBrowseConnectW)                \
  X(SQLBulkOperations)                \
  X(SQLCancelHandle)                  \
  X(SQLColAttribute)                  \
  X(SQLColAttributeW)                 \
  X(SQLColAttributes)                 \
  X(SQLColAttributesW)                \
  X(SQLColumnPrivileges)              \
  X(SQLColumnPrivilegesW)             \
  X(SQLColumns)                       \
  X(SQLColumnsW)                      \
  X(SQLCopyDesc)                      \
  X(SQLDataSources)                   \
  X(SQLDataSourcesW)                  \
  X(SQLDescribeCol)                   \
  X(SQLDescribeColW)                  \
  X(SQLDescribeParam)                 \
  X(SQLDrivers)                       \
  X(SQLDriversW)                      \
  X(SQLExtendedFetch)                 \
  X(SQLFetchScroll)                   \
  X(SQLForeignKeys)                   \
  X(SQLForeignKeysW)                  \
  X(SQLGetConnectOption)              \
  X(SQLGetConnectOptionW)             \
  X(SQLGetCursorName)                 \
  X(SQLGetCursorNameW)                \
  X(SQLGetDescField)                  \
  X(SQLGetDescFieldW)                 \
  X(SQLGetDescRec)                    \
  X(SQLGetDescRecW)                   \
  X(SQLGetStmtOption)                 \
  X(SQLGetTypeInfo)                   \
  X(SQLGetTypeInfoW)                  \
  X(SQLNativeSql)                     \
  X(SQLNativeSqlW)                    \
  X(SQLNumParams)                     \
  X(SQLParamData)                     \
  X(SQLParamOptions)                  \
  X(SQLPrimaryKeys)                   \
  X(SQLPrimaryKeysW)                  \
  X(SQLProcedureColumns)              \
  X(SQLProcedureColumnsW)             \
  X(SQLProcedures)                    \
  X(SQLProceduresW)                   \
  X(SQLPutData)                       \
  X(SQLSetConnectOption)              \
  X(SQLSetConnectOptionW)             \
  X(SQLSetCursorName)                 \
  X(SQLSetCursorNameW)                \
  X(SQLSetDescField)                  \
  X(SQLSetDescFieldW)                 \
  X(SQLSetDescRec)                    \
  X(SQLSetParam)                      \
  X(SQLSetPos)                        \
  X(SQLSetScrollOptions)              \
  X(SQLSetStmtOption)                 \
  X(SQLSpecialColumns)                \
  X(SQLSpecialColumnsW)               \
  X(SQLStatistics)                    \
  X(SQLStatisticsW)                   \
  X(SQLTablePrivileges)               \
  X(SQLTablePrivilegesW)              \
  X(SQLTables)                        \
  X(SQLTablesW)

// The entry points the Driver Manager also asks for as <name>A: aliases of
// <name>, made by the linker.
#define FLOOR_ANSI_ALIASED_ENTRY_POINTS(X) \
  X(SQLBrowseConnect)                      \
  X(SQLColAttribute)                       \
  X(SQLColAttributes)                      \
  X(SQLColumnPrivileges)                   \
  X(SQLColumns)                            \
  X(SQLConnect)                            \
  X(SQLDataSources)                        \
  X(SQLDescribeCol)                        \
  X(SQLDriverConnect)                      \
  X(SQLDrivers)                            \
  X(SQLError)                              \
  X(SQLExecDirect)                         \
  X(SQLForeignKeys)                        \
  X(SQLGetConnectAttr)                     \
  X(SQLGetConnectOption)                   \
  X(SQLGetCursorName)                      \
  X(SQLGetDescField)                       \
  X(SQLGetDescRec)                         \
  X(SQLGetDiagField)                       \
  X(SQLGetDiagRec)                         \
  X(SQLGetInfo)                            \
  X(SQLGetStmtAttr)                        \
  X(SQLGetTypeInfo)                        \
  X(SQLNativeSql)                          \
  X(SQLPrepare)                            \
  X(SQLPrimaryKeys)                        \
  X(SQLProcedureColumns)                   \
  X(SQLProcedures)                         \
  X(SQLSetConnectAttr)                     \
  X(SQLSetConnectOption)                   \
  X(SQLSetCursorName)                      \
  X(SQLSetDescField)                       \
  X(SQLSetStmtAttr)                        \
  X(SQLSpecialColumns)                     \
  X(SQLStatistics)                         \
  X(SQLTablePrivileges)                    \
  X(SQLTables)
