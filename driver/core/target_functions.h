// Every ODBC entry point odbcpool forwards, as X-macros:
//   ODBCPOOL_PLAIN(F)  one symbol, no text arguments
//   ODBCPOOL_TEXT(F)   an ANSI symbol F and a wide twin FW
// The list drives the target's function table, SQLGetFunctions and the
// export test, so adding a function here is the first step of forwarding it.
#pragma once

#define ODBCPOOL_PLAIN_FUNCTIONS(X)               \
  X(SQLAllocHandle, SQL_API_SQLALLOCHANDLE)       \
  X(SQLBindCol, SQL_API_SQLBINDCOL)               \
  X(SQLBindParam, SQL_API_SQLBINDPARAM)           \
  X(SQLBindParameter, SQL_API_SQLBINDPARAMETER)   \
  X(SQLBulkOperations, SQL_API_SQLBULKOPERATIONS) \
  X(SQLCancel, SQL_API_SQLCANCEL)                 \
  X(SQLCancelHandle, SQL_API_SQLCANCELHANDLE)     \
  X(SQLCloseCursor, SQL_API_SQLCLOSECURSOR)       \
  X(SQLCopyDesc, SQL_API_SQLCOPYDESC)             \
  X(SQLDescribeParam, SQL_API_SQLDESCRIBEPARAM)   \
  X(SQLDisconnect, SQL_API_SQLDISCONNECT)         \
  X(SQLEndTran, SQL_API_SQLENDTRAN)               \
  X(SQLExecute, SQL_API_SQLEXECUTE)               \
  X(SQLExtendedFetch, SQL_API_SQLEXTENDEDFETCH)   \
  X(SQLFetch, SQL_API_SQLFETCH)                   \
  X(SQLFetchScroll, SQL_API_SQLFETCHSCROLL)       \
  X(SQLFreeHandle, SQL_API_SQLFREEHANDLE)         \
  X(SQLFreeStmt, SQL_API_SQLFREESTMT)             \
  X(SQLGetData, SQL_API_SQLGETDATA)               \
  X(SQLGetEnvAttr, SQL_API_SQLGETENVATTR)         \
  X(SQLGetFunctions, SQL_API_SQLGETFUNCTIONS)     \
  X(SQLMoreResults, SQL_API_SQLMORERESULTS)       \
  X(SQLNumParams, SQL_API_SQLNUMPARAMS)           \
  X(SQLNumResultCols, SQL_API_SQLNUMRESULTCOLS)   \
  X(SQLParamData, SQL_API_SQLPARAMDATA)           \
  X(SQLPutData, SQL_API_SQLPUTDATA)               \
  X(SQLRowCount, SQL_API_SQLROWCOUNT)             \
  X(SQLSetDescRec, SQL_API_SQLSETDESCREC)         \
  X(SQLSetEnvAttr, SQL_API_SQLSETENVATTR)         \
  X(SQLSetPos, SQL_API_SQLSETPOS)

#define ODBCPOOL_TEXT_FUNCTIONS(X)                    \
  X(SQLBrowseConnect, SQL_API_SQLBROWSECONNECT)       \
  X(SQLColAttribute, SQL_API_SQLCOLATTRIBUTE)         \
  X(SQLColumnPrivileges, SQL_API_SQLCOLUMNPRIVILEGES) \
  X(SQLColumns, SQL_API_SQLCOLUMNS)                   \
  X(SQLConnect, SQL_API_SQLCONNECT)                   \
  X(SQLDescribeCol, SQL_API_SQLDESCRIBECOL)           \
  X(SQLDriverConnect, SQL_API_SQLDRIVERCONNECT)       \
  X(SQLExecDirect, SQL_API_SQLEXECDIRECT)             \
  X(SQLForeignKeys, SQL_API_SQLFOREIGNKEYS)           \
  X(SQLGetConnectAttr, SQL_API_SQLGETCONNECTATTR)     \
  X(SQLGetCursorName, SQL_API_SQLGETCURSORNAME)       \
  X(SQLGetDescField, SQL_API_SQLGETDESCFIELD)         \
  X(SQLGetDescRec, SQL_API_SQLGETDESCREC)             \
  X(SQLGetDiagField, SQL_API_SQLGETDIAGFIELD)         \
  X(SQLGetDiagRec, SQL_API_SQLGETDIAGREC)             \
  X(SQLGetInfo, SQL_API_SQLGETINFO)                   \
  X(SQLGetStmtAttr, SQL_API_SQLGETSTMTATTR)           \
  X(SQLGetTypeInfo, SQL_API_SQLGETTYPEINFO)           \
  X(SQLNativeSql, SQL_API_SQLNATIVESQL)               \
  X(SQLPrepare, SQL_API_SQLPREPARE)                   \
  X(SQLPrimaryKeys, SQL_API_SQLPRIMARYKEYS)           \
  X(SQLProcedureColumns, SQL_API_SQLPROCEDURECOLUMNS) \
  X(SQLProcedures, SQL_API_SQLPROCEDURES)             \
  X(SQLSetConnectAttr, SQL_API_SQLSETCONNECTATTR)     \
  X(SQLSetCursorName, SQL_API_SQLSETCURSORNAME)       \
  X(SQLSetDescField, SQL_API_SQLSETDESCFIELD)         \
  X(SQLSetStmtAttr, SQL_API_SQLSETSTMTATTR)           \
  X(SQLSpecialColumns, SQL_API_SQLSPECIALCOLUMNS)     \
  X(SQLStatistics, SQL_API_SQLSTATISTICS)             \
  X(SQLTablePrivileges, SQL_API_SQLTABLEPRIVILEGES)   \
  X(SQLTables, SQL_API_SQLTABLES)
