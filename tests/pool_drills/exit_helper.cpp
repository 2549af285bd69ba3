// Helper for drill 8 (clean exit): connects through the pool and returns
// from main without freeing any handle, so that the process exits with the
// pool, its connections and its background thread still in place.
//
//   pool_drill_exit_helper MODE APPLICATION_NAME
//     disconnect   connect, query, disconnect (the connection idles in the pool)
//     keep-open    connect, query, never disconnect
//     background   PoolMinIdle=2 and PoolKeepalive=100ms, so the background
//                  thread is busy refilling and validating at exit; one
//                  connection kept open
//     exit-thread  connect, then std::exit(0) from another thread while the
//                  main thread is in a query
//     idle-at-exit three connections to the database odbcpool_exit_drill at
//                  once, each disconnected: three idle in the pool at exit
//
// Exit status 0 when every step worked; the drill measures how long the
// process takes to end.
#include <sql.h>
#include <sqlext.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

std::string diag(SQLSMALLINT type, SQLHANDLE handle) {
  SQLCHAR state[6] = {};
  SQLINTEGER native = 0;
  SQLCHAR message[1024] = {};
  SQLSMALLINT length = 0;
  if (!SQL_SUCCEEDED(
          SQLGetDiagRec(type, handle, 1, state, &native, message, sizeof message, &length))) {
    return "(no diagnostics)";
  }
  return std::string("[") + reinterpret_cast<char*>(state) + "] " +
         reinterpret_cast<char*>(message);
}

bool query(SQLHDBC dbc, const char* sql) {
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt))) return false;
  std::string text = sql;
  SQLRETURN rc = SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(text.data()), SQL_NTS);
  if (!SQL_SUCCEEDED(rc)) {
    std::fprintf(stderr, "exit helper: %s: %s\n", sql, diag(SQL_HANDLE_STMT, stmt).c_str());
    return false;
  }
  while (SQL_SUCCEEDED(SQLFetch(stmt))) {
  }
  // The statement handle is deliberately left allocated.
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr,
                 "usage: %s {disconnect|keep-open|background|exit-thread|idle-at-exit} "
                 "APPLICATION_NAME\n",
                 argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const std::string app = argv[2];
  if (mode != "disconnect" && mode != "keep-open" && mode != "background" &&
      mode != "exit-thread" && mode != "idle-at-exit") {
    std::fprintf(stderr, "exit helper: unknown mode %s\n", mode.c_str());
    return 2;
  }
  std::string cs = "DSN=pg_unicode_pooled;ConnSettings=SET application_name='" + app + "'";
  if (mode == "background") cs += ";PoolMinIdle=2;PoolKeepalive=100ms";
  if (mode == "idle-at-exit") cs += ";Database=odbcpool_exit_drill;PoolMaxSize=3";

  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)) ||
      !SQL_SUCCEEDED(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
                                   reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0)) ||
      !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc))) {
    std::fprintf(stderr, "exit helper: cannot allocate handles\n");
    return 3;
  }
  SQLCHAR out[1024];
  SQLSMALLINT out_length = 0;
  if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(cs.data()), SQL_NTS,
                                      out, sizeof out, &out_length, SQL_DRIVER_NOPROMPT))) {
    std::fprintf(stderr, "exit helper: connect: %s\n", diag(SQL_HANDLE_DBC, dbc).c_str());
    return 4;
  }
  if (!query(dbc, "SELECT pg_backend_pid()")) return 5;

  if (mode == "idle-at-exit") {
    SQLHDBC more[2] = {SQL_NULL_HDBC, SQL_NULL_HDBC};
    for (SQLHDBC& other : more) {
      if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &other)) ||
          !SQL_SUCCEEDED(SQLDriverConnect(other, nullptr, reinterpret_cast<SQLCHAR*>(cs.data()),
                                          SQL_NTS, out, sizeof out, &out_length,
                                          SQL_DRIVER_NOPROMPT)) ||
          !query(other, "SELECT pg_backend_pid()")) {
        std::fprintf(stderr, "exit helper: another connection: %s\n",
                     diag(SQL_HANDLE_DBC, other).c_str());
        return 8;
      }
    }
    for (SQLHDBC c : {dbc, more[0], more[1]}) {
      if (!SQL_SUCCEEDED(SQLDisconnect(c))) return 6;
    }
  } else if (mode == "disconnect") {
    if (!SQL_SUCCEEDED(SQLDisconnect(dbc))) {
      std::fprintf(stderr, "exit helper: disconnect: %s\n", diag(SQL_HANDLE_DBC, dbc).c_str());
      return 6;
    }
  } else if (mode == "background") {
    // Let the background thread open the minimum idle connections and start
    // its keepalive rounds.
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  } else if (mode == "exit-thread") {
    std::thread([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::fflush(nullptr);
      std::exit(0);
    }).detach();
    // pg_sleep keeps this thread inside the driver when exit() runs.
    query(dbc, "SELECT pg_sleep(3)");
    return 7;  // exit() should have ended the process by now
  }
  // Handles, statements and (for keep-open, background) the connection are
  // left as they are.
  return 0;
}
