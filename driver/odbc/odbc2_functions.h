// The ODBC 2 functions odbcpool exports (odbc2_api.cpp), as X-macros like
// core/target_functions.h: driver/CMakeLists.txt reads this list too, for
// their libltdl aliases.
//   ODBCPOOL_ODBC2_PLAIN(F)  one symbol
//   ODBCPOOL_ODBC2_TEXT(F)   an ANSI symbol F and a wide twin FW
// Left out, and why: SQLColAttributes and SQLSetScrollOptions, which the
// Driver Manager maps onto SQLColAttribute and the statement attributes
// itself as the specification says; SQLDataSources and SQLDrivers, which
// are the Driver Manager's own and which no driver implements.
#pragma once

#define ODBCPOOL_ODBC2_PLAIN_FUNCTIONS(X) \
  X(SQLAllocConnect)                      \
  X(SQLAllocEnv)                          \
  X(SQLAllocHandleStd)                    \
  X(SQLAllocStmt)                         \
  X(SQLDriverLoad)                        \
  X(SQLDriverUnload)                      \
  X(SQLFreeConnect)                       \
  X(SQLFreeEnv)                           \
  X(SQLGetStmtOption)                     \
  X(SQLParamOptions)                      \
  X(SQLSetParam)                          \
  X(SQLSetStmtOption)                     \
  X(SQLTransact)

#define ODBCPOOL_ODBC2_TEXT_FUNCTIONS(X) \
  X(SQLError)                            \
  X(SQLGetConnectOption)                 \
  X(SQLSetConnectOption)
