// metrics_workload DSN READY_FILE STOP_FILE [HELD]: a small ODBC application
// for the stats and textfile collector tests. Through the Driver Manager it
// opens two connections at once (two physical connects), returns both, runs
// five connect / SELECT 1 / disconnect cycles, then keeps HELD connections
// (default 1) borrowed: with one, 8 borrows, 2 connects, 1 idle and 1 in
// use; with HELD, 7 + HELD borrows and HELD in use. It then creates
// READY_FILE and waits (at most a minute) for STOP_FILE before it
// disconnects and exits cleanly, which removes its metrics file.
#include <sql.h>
#include <sqlext.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string diagnostic(SQLSMALLINT type, SQLHANDLE handle) {
  SQLCHAR state[6] = {};
  SQLCHAR message[512] = {};
  SQLINTEGER native = 0;
  SQLSMALLINT length = 0;
  if (!SQL_SUCCEEDED(
          SQLGetDiagRec(type, handle, 1, state, &native, message, sizeof message, &length))) {
    return "no diagnostic";
  }
  return "[" + std::string(reinterpret_cast<char*>(state)) + "] " +
         reinterpret_cast<char*>(message);
}

void require(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle, const char* what) {
  if (!SQL_SUCCEEDED(rc))
    throw std::runtime_error(std::string(what) + ": " + diagnostic(type, handle));
}

class Connection {
 public:
  Connection(SQLHENV env, const std::string& dsn) {
    require(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc_), SQL_HANDLE_ENV, env, "SQLAllocHandle");
    const std::string text = "DSN=" + dsn;
    require(SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)text.c_str(), SQL_NTS, nullptr, 0, nullptr,
                             SQL_DRIVER_NOPROMPT),
            SQL_HANDLE_DBC, dbc_, "SQLDriverConnect");
  }
  ~Connection() {
    SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void select_one() {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    require(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt), SQL_HANDLE_DBC, dbc_, "SQLAllocHandle");
    const SQLRETURN rc = SQLExecDirect(stmt, (SQLCHAR*)"SELECT 1", SQL_NTS);
    const std::string why = SQL_SUCCEEDED(rc) ? "" : diagnostic(SQL_HANDLE_STMT, stmt);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    if (!why.empty()) throw std::runtime_error("SELECT 1: " + why);
  }

 private:
  SQLHDBC dbc_ = SQL_NULL_HDBC;
};

}  // namespace

int main(int argc, char** argv) {
  const int held_count = argc == 5 ? std::atoi(argv[4]) : 1;
  if ((argc != 4 && argc != 5) || held_count < 1) {
    std::fprintf(stderr, "usage: %s DSN READY_FILE STOP_FILE [HELD]\n", argv[0]);
    return 2;
  }
  const std::string dsn = argv[1];
  SQLHENV env = SQL_NULL_HENV;
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  try {
    {
      Connection first(env, dsn);
      Connection second(env, dsn);
    }
    for (int i = 0; i < 5; ++i) {
      Connection c(env, dsn);
      c.select_one();
    }
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < held_count; ++i) held.push_back(std::make_unique<Connection>(env, dsn));
    std::ofstream(argv[2]) << ::getpid() << '\n';
    for (int i = 0; i < 600 && access(argv[3], F_OK) != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "metrics_workload: %s\n", e.what());
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return 1;
  }
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return 0;
}
