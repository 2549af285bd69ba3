// The ODBC 2 functions odbcpool exports (odbc2_api.cpp), as X-macros like
// core/target_functions.h: driver/CMakeLists.txt reads this list too, for
// their libltdl aliases.
//   ODBCPOOL_ODBC2_PLAIN(F)  one symbol
//   ODBCPOOL_ODBC2_TEXT(F)   an ANSI symbol F and a wide twin FW
// SQLDataSources and SQLDrivers are the Driver Manager's own: it answers
// them from the ini files and never calls a driver's; odbcpool's say IM001,
// for a program that calls the library without a Driver Manager.
// Left out: SQLSetScrollOptions, which the Driver Manager maps onto the
// statement attributes itself, checking each against SQLGetInfo.
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
  X(SQLColAttributes)                    \
  X(SQLDataSources)                      \
  X(SQLDrivers)                          \
  X(SQLError)                            \
  X(SQLGetConnectOption)                 \
  X(SQLSetConnectOption)
