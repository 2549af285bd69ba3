// odbcpool_fault_driver: a TEST DOUBLE. A tiny ODBC driver (ANSI only) that
// fails, hangs or dies on demand, for the integration tests of odbcpool. It
// is never installed and must never be used for anything else.
//
// Behaviour is read from a control file on every call. The file is named by
// the `Control=/path` key of the connection string (or of the DSN section of
// odbc.ini; SQLConnect, which has no string, uses $FAULT_DRIVER_CONTROL).
// A missing file means "everything ok". Lines are `key=value`, `#` comments:
//
//   connect=ok|fail|hang    fail: SQL_ERROR 08001 "[fault] connection refused"
//                           hang: sleep connect_delay_ms (default 10000), fail
//   connect_delay_ms=N      delay every connect by N ms
//   execute=ok|08S01|fail   08S01: "[fault] communication link failure", and
//                           the connection is dead from then on; fail: 42000
//   validate=ok|fail|hang   for the statement text `SELECT 1` only: fail is
//                           08S01 (the connection dies), hang sleeps 10 s
//   dead=0|1                what SQL_ATTR_CONNECTION_DEAD reports (without
//                           the key: whether this connection saw a 08S01)
//   timeouts=honor|ignore   honor (default): SQL_ATTR_LOGIN_TIMEOUT cuts a
//                           slow connect (HYT00) and SQL_ATTR_QUERY_TIMEOUT a
//                           slow statement (HYT00); ignore: like a bad driver
//
// Statements: `SELECT <n>` returns one row with the integer n (`SELECT 1`
// is the validation query), `SELECT SLEEP <ms>` sleeps (SQLCancel and the
// query timeout interrupt it) then returns 1, `SELECT CONNECTION_ID` returns
// the serial number of the physical connection, `RAISE <sqlstate>` fails
// with that SQLSTATE (08xxx kills the connection), anything else succeeds
// with no result set.
//
// The control functions below are exported with C linkage. A test finds the
// instance odbcpool loaded with dlopen(path, RTLD_NOLOAD | RTLD_NOW) and
// dlsym; it must not link this library.
#pragma once

extern "C" {
// Process-wide counters (since load or the last fault_reset_counters()).
long fault_connects();          // successful physical connects
long fault_disconnects();       // SQLDisconnect of a connected connection
long fault_live_connections();  // open right now (not reset)
long fault_executes();          // SQLExecDirect + SQLExecute calls
void fault_reset_counters();
// The same, for the connections of one control file (the exact Control=
// value), plus more: "connect_attempts", "connects", "disconnects", "live",
// "executes", "commits", "rollbacks", "cancels", "statements" (allocated and
// not yet freed), "exec:<statement text>" (how often that exact text was
// executed). Unknown names count 0.
long fault_count(const char* control, const char* what);
}
