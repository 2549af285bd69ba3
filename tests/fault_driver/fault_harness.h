// What the fault_*_test.cpp integration tests share: a private ini directory
// registering odbcpool and the fault driver (a test double), control files,
// ODBC calls through the unixODBC Driver Manager, and the fault driver's
// counters read from the instance odbcpool loaded.
//
// Needs the compile definitions ODBCPOOL_DRIVER_PATH and FAULT_DRIVER_PATH.
#pragma once

#include <dlfcn.h>
#include <sql.h>
#include <sqlext.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fault {

// The ini directory and control files of this process, made before the first
// ODBC call and removed at exit.
class Harness {
 public:
  static Harness& instance() {
    static Harness* h = new Harness();  // leaked: the atexit cleanup still reads it
    return *h;
  }
  const std::string& dir() const { return dir_; }

  // A control function of the fault driver instance odbcpool loads. The
  // harness holds its own (RTLD_LOCAL) reference to the library from the
  // start, so odbcpool's dlopen of the same path finds this very instance and
  // the counters survive a Driver Manager dlclose; the lookup goes through
  // RTLD_NOLOAD, as any test that did not pin the library would.
  void* fault_symbol(const char* name) const {
    void* lib = dlopen(FAULT_DRIVER_PATH, RTLD_NOLOAD | RTLD_NOW);
    if (lib == nullptr) return nullptr;
    void* symbol = dlsym(lib, name);
    dlclose(lib);  // drops only the reference NOLOAD took
    return symbol;
  }

  // A fresh control file path (distinct per call, so each test gets its own pool).
  std::string control_path(const std::string& name) {
    return dir_ + "/" + name + "-" + std::to_string(++serial_) + ".ctl";
  }

 private:
  Harness() {
    char pattern[] = "/tmp/odbcpool-fault-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    write(dir_ + "/odbcinst.ini",
          "[ODBC]\nPooling = No\n\n"
          "[odbcpool]\nDriver = " ODBCPOOL_DRIVER_PATH
          "\nLogLevel = error\n\n"
          "[FaultDriver]\nDriver = " FAULT_DRIVER_PATH "\n");
    write(dir_ + "/odbc.ini",
          "[fault_direct]\nDriver = FaultDriver\nControl = " + dir_ +
              "/dsn.ctl\n\n"
              "[fault_pooled]\nDriver = odbcpool\nTargetDSN = fault_direct\nPoolMaxSize = 1\n\n"
              // Chains through odbcpool: one that reaches the fault driver, one
              // that loops, and one whose target is odbcpool itself.
              "[fault_chain_direct]\nDriver = FaultDriver\nControl = " +
              dir_ +
              "/chain.ctl\n\n"
              "[fault_chain_inner]\nDriver = odbcpool\nTargetDSN = fault_chain_direct\n\n"
              "[fault_chain]\nDriver = odbcpool\nTargetDSN = fault_chain_inner\n\n"
              "[fault_loop_a]\nDriver = odbcpool\nTargetDSN = fault_loop_b\n\n"
              "[fault_loop_b]\nDriver = odbcpool\nTargetDSN = fault_loop_a\n\n"
              "[fault_pool_of_pool]\nDriver = odbcpool\nTargetDriver = " ODBCPOOL_DRIVER_PATH "\n");
    write(dir_ + "/user-odbc.ini", "");
    setenv("ODBCSYSINI", dir_.c_str(), 1);
    setenv("ODBCINSTINI", "odbcinst.ini", 1);
    setenv("ODBCINI", (dir_ + "/user-odbc.ini").c_str(), 1);
    pinned_ = dlopen(FAULT_DRIVER_PATH, RTLD_NOW | RTLD_LOCAL);
    if (pinned_ == nullptr)
      throw std::runtime_error(std::string("cannot load ") + FAULT_DRIVER_PATH);
    creator_ = getpid();
    std::atexit([] {
      if (getpid() != instance().creator_) return;  // a forked child leaves it alone
      if (std::system(("rm -rf '" + instance().dir_ + "'").c_str()) != 0) {
        std::fprintf(stderr, "could not remove %s\n", instance().dir_.c_str());
      }
    });
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
  }
  std::string dir_;
  void* pinned_ = nullptr;
  pid_t creator_ = 0;
  std::atomic<int> serial_{0};
};

// A control file of the fault driver; rewritten whenever a test changes the
// behaviour (the driver re-reads it on every call).
class Control {
 public:
  explicit Control(const std::string& name, const std::string& text = "")
      : path_(Harness::instance().control_path(name)) {
    set(text);
  }
  const std::string& path() const { return path_; }
  void set(const std::string& text) const {
    const std::string tmp = path_ + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << text << "\n";
    }
    std::rename(tmp.c_str(), path_.c_str());  // atomic: a reader sees old or new
  }
  // A DSN-less connection string through odbcpool to the fault driver.
  std::string pooled(const std::string& extra = "") const {
    return "DRIVER={odbcpool};TargetDriver={FaultDriver};Control=" + path_ + ";" + extra;
  }
  // Straight to the fault driver through the Driver Manager, no odbcpool.
  std::string direct() const { return "DRIVER={FaultDriver};Control=" + path_ + ";"; }

  // Counters of the fault driver instance odbcpool loaded, for this control
  // file: connects, connect_attempts, disconnects, live, executes, commits,
  // rollbacks, cancels, "exec:<sql>".
  long count(const std::string& what) const {
    auto fn = reinterpret_cast<long (*)(const char*, const char*)>(
        Harness::instance().fault_symbol("fault_count"));
    return fn != nullptr ? fn(path_.c_str(), what.c_str()) : -1;
  }

 private:
  std::string path_;
};

// A process-wide counter of the loaded fault driver (fault_connects, ...).
inline long global_count(const char* function) {
  auto fn = reinterpret_cast<long (*)()>(Harness::instance().fault_symbol(function));
  return fn != nullptr ? fn() : -1;
}

struct Diag {
  std::string sqlstate;
  std::string message;
};

inline std::vector<Diag> diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::vector<Diag> result;
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {};
    SQLCHAR message[2048] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, i, state, &native, message, sizeof message, &length);
    if (!SQL_SUCCEEDED(rc)) break;
    result.push_back({reinterpret_cast<char*>(state), reinterpret_cast<char*>(message)});
  }
  return result;
}

inline std::string describe(const std::vector<Diag>& diags) {
  std::string s;
  for (const auto& d : diags) s += "[" + d.sqlstate + "] " + d.message + "\n";
  return s.empty() ? "(no diagnostics)" : s;
}

inline bool has_state(const std::vector<Diag>& diags, const std::string& state) {
  for (const auto& d : diags) {
    if (d.sqlstate == state) return true;
  }
  return false;
}

inline const Diag* find_state(const std::vector<Diag>& diags, const std::string& state) {
  for (const auto& d : diags) {
    if (d.sqlstate == state) return &d;
  }
  return nullptr;
}

struct Result {
  SQLRETURN rc = SQL_ERROR;
  std::vector<Diag> diags;
  bool ok() const { return SQL_SUCCEEDED(rc); }
};

// One application environment and connection through the Driver Manager.
class Client {
 public:
  Client() {
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_);
    SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env_, &dbc_);
  }
  ~Client() {
    if (connected_) SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
    SQLFreeHandle(SQL_HANDLE_ENV, env_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  SQLHDBC dbc() const { return dbc_; }

  Result connect(const std::string& text) {
    SQLCHAR out[2048];
    SQLSMALLINT out_length = 0;
    Result r;
    r.rc = SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)text.c_str(), SQL_NTS, out, sizeof out,
                            &out_length, SQL_DRIVER_NOPROMPT);
    if (r.rc != SQL_SUCCESS) r.diags = diagnostics(SQL_HANDLE_DBC, dbc_);
    connected_ = r.ok();
    return r;
  }
  Result connect_dsn(const std::string& dsn) {
    Result r;
    r.rc = SQLConnect(dbc_, (SQLCHAR*)dsn.c_str(), SQL_NTS, nullptr, 0, nullptr, 0);
    if (r.rc != SQL_SUCCESS) r.diags = diagnostics(SQL_HANDLE_DBC, dbc_);
    connected_ = r.ok();
    return r;
  }
  Result disconnect() {
    Result r;
    r.rc = SQLDisconnect(dbc_);
    if (r.rc != SQL_SUCCESS) r.diags = diagnostics(SQL_HANDLE_DBC, dbc_);
    if (r.ok()) connected_ = false;
    return r;
  }

  // Executes sql; with a result set, the first column of the first row
  // (SQL_C_SLONG) goes to *value.
  Result execute(const std::string& sql, long* value = nullptr) {
    Result r;
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    r.rc = SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt);
    if (!r.ok()) {
      r.diags = diagnostics(SQL_HANDLE_DBC, dbc_);
      return r;
    }
    r.rc = SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
    if (r.ok()) {
      SQLSMALLINT columns = 0;
      SQLNumResultCols(stmt, &columns);
      if (columns > 0) {
        r.rc = SQLFetch(stmt);
        SQLINTEGER v = 0;
        SQLLEN indicator = 0;
        if (r.ok()) r.rc = SQLGetData(stmt, 1, SQL_C_SLONG, &v, sizeof v, &indicator);
        if (r.ok() && value != nullptr) *value = v;
      }
    }
    if (r.rc != SQL_SUCCESS) r.diags = diagnostics(SQL_HANDLE_STMT, stmt);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return r;
  }

  // Executes sql on a new statement and leaves it open (cursor and all); the
  // Driver Manager frees it on disconnect.
  SQLHSTMT leave_open(const std::string& sql) {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt))) return SQL_NULL_HSTMT;
    SQLExecDirect(stmt, (SQLCHAR*)sql.c_str(), SQL_NTS);
    return stmt;
  }

  // The serial number of the physical connection behind this one (-1 on error).
  long connection_id() {
    long id = -1;
    return execute("SELECT CONNECTION_ID", &id).ok() ? id : -1;
  }

 private:
  SQLHENV env_ = SQL_NULL_HENV;
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
};

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace fault
