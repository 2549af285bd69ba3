// odbcpool_fault_driver: a test double, see fault_driver.h for what it does.
// Deliberately simple: the control file is re-read on every call, one mutex
// guards the counters, handles are plain heap objects with a magic number.
#include "fault_driver.h"

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------- counters

struct Counters {
  std::map<std::string, long> values;  // "connects", "exec:SELECT 1", ...
};

std::mutex& counters_mutex() {
  static std::mutex m;
  return m;
}
// Leaked on purpose: still valid during static destruction.
std::map<std::string, Counters>& per_control() {
  static auto* m = new std::map<std::string, Counters>();
  return *m;
}
Counters& global_counters() {
  static auto* c = new Counters();
  return *c;
}
std::atomic<long> live_connections{0};
std::atomic<long> next_serial{0};

void count(const std::string& control, const std::string& what, long delta = 1) {
  std::lock_guard<std::mutex> lock(counters_mutex());
  per_control()[control].values[what] += delta;
  global_counters().values[what] += delta;
}

long read_count(const Counters& c, const std::string& what) {
  auto it = c.values.find(what);
  return it == c.values.end() ? 0 : it->second;
}

// ---------------------------------------------------------------- text helpers

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string text_of(const SQLCHAR* text, SQLINTEGER length) {
  if (text == nullptr) return "";
  const char* p = reinterpret_cast<const char*>(text);
  return length == SQL_NTS ? std::string(p) : std::string(p, std::max<SQLINTEGER>(length, 0));
}

// Copies s into a character buffer of `capacity` bytes; true when truncated.
bool copy_out(const std::string& s, void* buffer, SQLLEN capacity, SQLLEN* length) {
  if (length != nullptr) *length = static_cast<SQLLEN>(s.size());
  if (buffer == nullptr || capacity <= 0) return !s.empty();
  const std::size_t n = std::min<std::size_t>(s.size(), static_cast<std::size_t>(capacity) - 1);
  std::memcpy(buffer, s.data(), n);
  static_cast<char*>(buffer)[n] = '\0';
  return n < s.size();
}

template <typename Length>
bool copy_out_as(const std::string& s, void* buffer, SQLLEN capacity, Length* length) {
  SQLLEN n = 0;
  const bool truncated = copy_out(s, buffer, capacity, &n);
  if (length != nullptr) *length = static_cast<Length>(n);
  return truncated;
}

using KeyValues = std::map<std::string, std::string>;  // keys in lower case

// "k=v;k={v;w}" as ODBC connection strings are written.
KeyValues parse_connection_string(const std::string& s) {
  KeyValues result;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t eq = s.find('=', i);
    if (eq == std::string::npos) break;
    const std::string key = lower(trim(s.substr(i, eq - i)));
    std::string value;
    i = eq + 1;
    if (i < s.size() && s[i] == '{') {
      for (++i; i < s.size(); ++i) {
        if (s[i] == '}') {
          if (i + 1 < s.size() && s[i + 1] == '}') {
            value += '}';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        value += s[i];
      }
      i = s.find(';', i);
      i = i == std::string::npos ? s.size() : i + 1;
    } else {
      std::size_t end = s.find(';', i);
      if (end == std::string::npos) end = s.size();
      value = trim(s.substr(i, end - i));
      i = end + 1;
    }
    if (!key.empty() && result.count(key) == 0) result[key] = value;
  }
  return result;
}

// The `key=value` lines of a file; with a section, only those of [section].
KeyValues read_key_values(const std::string& path, const std::string* section = nullptr) {
  KeyValues result;
  std::ifstream in(path);
  std::string line;
  bool inside = section == nullptr;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (section != nullptr) {
        inside = lower(trim(line.substr(1, line.find(']') - 1))) == lower(*section);
      }
      continue;
    }
    const auto eq = line.find('=');
    if (!inside || eq == std::string::npos) continue;
    result[lower(trim(line.substr(0, eq)))] = trim(line.substr(eq + 1));
  }
  return result;
}

// The Control= key of a DSN: user odbc.ini ($ODBCINI), then the system one.
std::string control_of_dsn(const std::string& dsn) {
  std::vector<std::string> files;
  if (const char* user = std::getenv("ODBCINI")) files.emplace_back(user);
  const char* sys = std::getenv("ODBCSYSINI");
  files.push_back(std::string(sys != nullptr ? sys : "/etc") + "/odbc.ini");
  for (const auto& file : files) {
    KeyValues section = read_key_values(file, &dsn);
    if (section.count("control") != 0) return section["control"];
  }
  return "";
}

// ---------------------------------------------------------------- handles

enum Magic : unsigned {
  kEnv = 0xFA17E001,
  kDbc = 0xFA17E002,
  kStmt = 0xFA17E003,
  kDesc = 0xFA17E004
};

struct DiagRec {
  std::string sqlstate;
  std::string message;
};

struct Handle {
  explicit Handle(unsigned m) : magic(m) {}
  unsigned magic;
  std::vector<DiagRec> diags;
  SQLRETURN last_rc = SQL_SUCCESS;
  SQLRETURN error(const char* sqlstate, const std::string& message, SQLRETURN rc = SQL_ERROR) {
    diags.push_back({sqlstate, message});
    return last_rc = rc;
  }
};

struct Dbc;

struct Env : Handle {
  Env() : Handle(kEnv) {}
  std::map<SQLINTEGER, SQLLEN> attrs{{SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3}};
  std::set<Dbc*> dbcs;
};

struct Stmt;

struct Dbc : Handle {
  explicit Dbc(Env* e) : Handle(kDbc), env(e) {}
  Env* env;
  bool connected = false;
  bool dead = false;
  bool in_transaction = false;
  long serial = 0;
  std::string control;         // the control file path
  std::string browse_control;  // the Control= of the first SQLBrowseConnect step
  std::map<SQLINTEGER, SQLULEN> attrs{{SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_ON},
                                      {SQL_ATTR_ACCESS_MODE, SQL_MODE_READ_WRITE},
                                      {SQL_ATTR_TXN_ISOLATION, SQL_TXN_READ_COMMITTED},
                                      {SQL_ATTR_LOGIN_TIMEOUT, 0},
                                      {SQL_ATTR_CONNECTION_TIMEOUT, 0}};
  std::map<SQLINTEGER, std::string> text_attrs{{SQL_ATTR_CURRENT_CATALOG, "faultdb"}};
  std::set<Stmt*> stmts;
  KeyValues settings() const { return control.empty() ? KeyValues{} : read_key_values(control); }
};

struct Desc : Handle {
  Desc() : Handle(kDesc) {}
};

struct Stmt : Handle {
  explicit Stmt(Dbc* d) : Handle(kStmt), dbc(d) {}
  Dbc* dbc;
  std::string prepared;
  bool has_prepared = false;
  bool executed = false;    // the prepared text ran since SQLPrepare
  bool has_result = false;  // a result set is open
  bool fetched = false;     // positioned on the row
  bool done = false;        // past the row
  long long value = 0;      // the single row's single column
  std::size_t read_offset = 0;
  bool column_read = false;  // SQLGetData returned the whole value already
  SQLLEN row_count = -1;
  std::atomic<bool> cancel{false};
  std::map<SQLINTEGER, SQLULEN> attrs{{SQL_ATTR_QUERY_TIMEOUT, 0}};
  Desc descs[4];  // APP_ROW, APP_PARAM, IMP_ROW, IMP_PARAM
};

template <typename T>
T* as(SQLHANDLE h, unsigned magic) {
  auto* handle = static_cast<Handle*>(h);
  return handle != nullptr && handle->magic == magic ? static_cast<T*>(handle) : nullptr;
}

Handle* any_handle(SQLSMALLINT type, SQLHANDLE h) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return as<Env>(h, kEnv);
    case SQL_HANDLE_DBC:
      return as<Dbc>(h, kDbc);
    case SQL_HANDLE_STMT:
      return as<Stmt>(h, kStmt);
    case SQL_HANDLE_DESC:
      return as<Desc>(h, kDesc);
    default:
      return nullptr;
  }
}

// Sleeps up to `ms`; false when `limit_ms` (if > 0) or a cancel cut it short.
bool nap(long ms, long limit_ms, const std::atomic<bool>* cancel = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  const long until = limit_ms > 0 ? std::min(ms, limit_ms) : ms;
  for (;;) {
    if (cancel != nullptr && cancel->load()) return false;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    if (elapsed >= until) return until >= ms;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long>(5, until - elapsed)));
  }
}

long number(const KeyValues& kv, const char* key, long fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : std::atol(it->second.c_str());
}

std::string setting(const KeyValues& kv, const char* key, const char* fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : lower(it->second);
}

// ---------------------------------------------------------------- connect

SQLRETURN do_connect(Dbc* dbc, const std::string& control) {
  if (dbc->connected) return dbc->error("08002", "[fault] connection name in use");
  dbc->control = control;
  count(control, "connect_attempts");
  const KeyValues kv = dbc->settings();
  const std::string mode = setting(kv, "connect", "ok");
  const bool honor = setting(kv, "timeouts", "honor") != "ignore";
  const long login_timeout_ms =
      honor ? static_cast<long>(dbc->attrs[SQL_ATTR_LOGIN_TIMEOUT]) * 1000 : 0;
  const long delay = number(kv, "connect_delay_ms", mode == "hang" ? 10000 : 0);
  if (delay > 0 && !nap(delay, login_timeout_ms)) {
    return dbc->error("HYT00", "[fault] login timeout expired");
  }
  if (mode == "fail" || mode == "hang") return dbc->error("08001", "[fault] connection refused");
  dbc->connected = true;
  dbc->dead = false;
  dbc->in_transaction = false;
  dbc->serial = ++next_serial;
  ++live_connections;
  count(control, "connects");
  return dbc->last_rc = SQL_SUCCESS;
}

// ---------------------------------------------------------------- statements

bool starts_with_word(const std::string& text, const char* word, std::string* rest) {
  const std::size_t n = std::strlen(word);
  if (text.size() < n || lower(text.substr(0, n)) != word) return false;
  if (text.size() > n && !std::isspace(static_cast<unsigned char>(text[n]))) return false;
  *rest = trim(text.substr(n));
  return true;
}

bool is_integer(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size() || s.size() > 18) return false;
  return std::all_of(s.begin() + static_cast<long>(i), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

void close_cursor(Stmt* s) {
  s->has_result = s->fetched = s->done = s->column_read = false;
  s->read_offset = 0;
}

SQLRETURN run(Stmt* s, const std::string& raw) {
  Dbc* dbc = s->dbc;
  close_cursor(s);
  s->row_count = -1;
  s->executed = true;
  s->cancel = false;
  const std::string sql = trim(raw);
  count(dbc->control, "executes");
  count(dbc->control, "exec:" + sql);
  const KeyValues kv = dbc->settings();
  const bool honor = setting(kv, "timeouts", "honor") != "ignore";
  const long timeout_ms = honor ? static_cast<long>(s->attrs[SQL_ATTR_QUERY_TIMEOUT]) * 1000 : 0;

  if (dbc->dead)
    return s->error("08S01", "[fault] communication link failure (connection is dead)");
  const std::string execute = setting(kv, "execute", "ok");
  if (execute == "08s01") {
    dbc->dead = true;
    return s->error("08S01", "[fault] communication link failure");
  }
  if (execute == "fail") return s->error("42000", "[fault] syntax error or access violation");

  std::string rest;
  if (sql == "SELECT 1") {
    const std::string validate = setting(kv, "validate", "ok");
    if (validate == "fail") {
      dbc->dead = true;
      return s->error("08S01", "[fault] communication link failure (validation)");
    }
    if (validate == "hang" && !nap(10000, timeout_ms, &s->cancel)) {
      return s->cancel ? s->error("HY008", "[fault] operation canceled")
                       : s->error("HYT00", "[fault] query timeout expired");
    }
  }
  if (starts_with_word(sql, "raise", &rest)) {
    if (rest.compare(0, 2, "08") == 0) dbc->dead = true;
    return s->error(rest.size() == 5 ? rest.c_str() : "HY000", "[fault] raised " + rest);
  }
  if (dbc->attrs[SQL_ATTR_AUTOCOMMIT] == SQL_AUTOCOMMIT_OFF) dbc->in_transaction = true;
  if (!starts_with_word(sql, "select", &rest)) {
    s->row_count = 0;
    return s->last_rc = SQL_SUCCESS;
  }
  std::string ms;
  if (starts_with_word(rest, "sleep", &ms) && is_integer(ms)) {
    if (!nap(std::atol(ms.c_str()), timeout_ms, &s->cancel)) {
      return s->cancel ? s->error("HY008", "[fault] operation canceled")
                       : s->error("HYT00", "[fault] query timeout expired");
    }
    s->value = 1;
  } else if (lower(rest) == "connection_id") {
    s->value = dbc->serial;
  } else if (is_integer(rest)) {
    s->value = std::atoll(rest.c_str());
  } else {
    s->row_count = 0;
    return s->last_rc = SQL_SUCCESS;
  }
  s->has_result = true;
  return s->last_rc = SQL_SUCCESS;
}

// Whether a statement text produces a result set (for SQLNumResultCols after SQLPrepare).
bool returns_rows(const std::string& raw) {
  std::string rest, ms;
  const std::string sql = trim(raw);
  if (!starts_with_word(sql, "select", &rest)) return false;
  return (starts_with_word(rest, "sleep", &ms) && is_integer(ms)) ||
         lower(rest) == "connection_id" || is_integer(rest);
}

// The function ids this driver implements (for SQLGetFunctions).
const SQLUSMALLINT kImplemented[] = {
    SQL_API_SQLALLOCHANDLE,    SQL_API_SQLFREEHANDLE,     SQL_API_SQLSETENVATTR,
    SQL_API_SQLGETENVATTR,     SQL_API_SQLDRIVERCONNECT,  SQL_API_SQLCONNECT,
    SQL_API_SQLDISCONNECT,     SQL_API_SQLGETDIAGREC,     SQL_API_SQLGETDIAGFIELD,
    SQL_API_SQLGETCONNECTATTR, SQL_API_SQLSETCONNECTATTR, SQL_API_SQLGETINFO,
    SQL_API_SQLGETFUNCTIONS,   SQL_API_SQLENDTRAN,        SQL_API_SQLEXECDIRECT,
    SQL_API_SQLPREPARE,        SQL_API_SQLEXECUTE,        SQL_API_SQLNUMRESULTCOLS,
    SQL_API_SQLFETCH,          SQL_API_SQLGETDATA,        SQL_API_SQLROWCOUNT,
    SQL_API_SQLMORERESULTS,    SQL_API_SQLFREESTMT,       SQL_API_SQLSETSTMTATTR,
    SQL_API_SQLGETSTMTATTR,    SQL_API_SQLCLOSECURSOR,    SQL_API_SQLCANCEL,
    SQL_API_SQLBROWSECONNECT,
};

bool is_text_connect_attr(SQLINTEGER attribute) {
  return attribute == SQL_ATTR_CURRENT_CATALOG || attribute == SQL_ATTR_TRACEFILE ||
         attribute == SQL_ATTR_TRANSLATE_LIB;
}

}  // namespace

// ================================================================ ODBC API

extern "C" {

SQLRETURN SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output) {
  if (output == nullptr) return SQL_ERROR;
  *output = SQL_NULL_HANDLE;
  if (type == SQL_HANDLE_ENV) {
    *output = new Env();
    return SQL_SUCCESS;
  }
  if (type == SQL_HANDLE_DBC) {
    Env* env = as<Env>(input, kEnv);
    if (env == nullptr) return SQL_INVALID_HANDLE;
    env->diags.clear();
    auto* dbc = new Dbc(env);
    env->dbcs.insert(dbc);
    *output = dbc;
    return SQL_SUCCESS;
  }
  if (type == SQL_HANDLE_STMT) {
    Dbc* dbc = as<Dbc>(input, kDbc);
    if (dbc == nullptr) return SQL_INVALID_HANDLE;
    dbc->diags.clear();
    if (!dbc->connected) return dbc->error("08003", "[fault] connection not open");
    auto* stmt = new Stmt(dbc);
    dbc->stmts.insert(stmt);
    count(dbc->control, "statements", +1);
    *output = stmt;
    return SQL_SUCCESS;
  }
  Handle* h = any_handle(SQL_HANDLE_DBC, input);
  return h != nullptr ? h->error("HYC00", "[fault] optional feature not implemented")
                      : SQL_INVALID_HANDLE;
}

SQLRETURN SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle) {
  if (type == SQL_HANDLE_ENV) {
    Env* env = as<Env>(handle, kEnv);
    if (env == nullptr) return SQL_INVALID_HANDLE;
    if (!env->dbcs.empty()) return env->error("HY010", "[fault] environment has connections");
    env->magic = 0;
    delete env;
    return SQL_SUCCESS;
  }
  if (type == SQL_HANDLE_DBC) {
    Dbc* dbc = as<Dbc>(handle, kDbc);
    if (dbc == nullptr) return SQL_INVALID_HANDLE;
    if (dbc->connected) return dbc->error("HY010", "[fault] connection still open");
    dbc->env->dbcs.erase(dbc);
    dbc->magic = 0;
    delete dbc;
    return SQL_SUCCESS;
  }
  if (type == SQL_HANDLE_STMT) {
    Stmt* stmt = as<Stmt>(handle, kStmt);
    if (stmt == nullptr) return SQL_INVALID_HANDLE;
    stmt->dbc->stmts.erase(stmt);
    count(stmt->dbc->control, "statements", -1);
    stmt->magic = 0;
    delete stmt;
    return SQL_SUCCESS;
  }
  return SQL_INVALID_HANDLE;
}

SQLRETURN SQLSetEnvAttr(SQLHENV handle, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER) {
  Env* env = as<Env>(handle, kEnv);
  if (env == nullptr) return SQL_INVALID_HANDLE;
  env->diags.clear();
  env->attrs[attribute] = reinterpret_cast<SQLLEN>(value);
  return SQL_SUCCESS;
}

SQLRETURN SQLGetEnvAttr(SQLHENV handle, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER,
                        SQLINTEGER* length) {
  Env* env = as<Env>(handle, kEnv);
  if (env == nullptr) return SQL_INVALID_HANDLE;
  env->diags.clear();
  if (value != nullptr)
    *static_cast<SQLINTEGER*>(value) = static_cast<SQLINTEGER>(env->attrs[attribute]);
  if (length != nullptr) *length = sizeof(SQLINTEGER);
  return SQL_SUCCESS;
}

SQLRETURN SQLDriverConnect(SQLHDBC handle, SQLHWND, SQLCHAR* in, SQLSMALLINT in_length,
                           SQLCHAR* out, SQLSMALLINT out_capacity, SQLSMALLINT* out_length,
                           SQLUSMALLINT) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  const std::string text = text_of(in, in_length);
  KeyValues kv = parse_connection_string(text);
  std::string control = kv.count("control") != 0 ? kv["control"] : "";
  if (control.empty() && kv.count("dsn") != 0) control = control_of_dsn(kv["dsn"]);
  SQLRETURN rc = do_connect(dbc, control);
  if (SQL_SUCCEEDED(rc) && copy_out_as(text, out, out_capacity, out_length)) {
    rc = dbc->error("01004", "[fault] string data, right truncated", SQL_SUCCESS_WITH_INFO);
  }
  return rc;
}

// Browsing asks for one thing, "Database", then connects as
// SQLDriverConnect does; each string it is given is kept so that a test can
// see what reached it ("browse_in:<text>" counters).
SQLRETURN SQLBrowseConnect(SQLHDBC handle, SQLCHAR* in, SQLSMALLINT in_length, SQLCHAR* out,
                           SQLSMALLINT out_capacity, SQLSMALLINT* out_length) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  const std::string text = text_of(in, in_length);
  KeyValues kv = parse_connection_string(text);
  if (kv.count("control") != 0) dbc->browse_control = kv["control"];
  count(dbc->browse_control, "browse_in:" + text);
  if (kv.count("database") == 0) {
    copy_out_as(std::string("DATABASE:Database=?"), out, out_capacity, out_length);
    return dbc->last_rc = SQL_NEED_DATA;
  }
  SQLRETURN rc = do_connect(dbc, dbc->browse_control);
  const std::string completed = "Control=" + dbc->browse_control + ";Database=" + kv["database"];
  if (SQL_SUCCEEDED(rc) && copy_out_as(completed, out, out_capacity, out_length)) {
    rc = dbc->error("01004", "[fault] string data, right truncated", SQL_SUCCESS_WITH_INFO);
  }
  return rc;
}

SQLRETURN SQLConnect(SQLHDBC handle, SQLCHAR* dsn, SQLSMALLINT dsn_length, SQLCHAR*, SQLSMALLINT,
                     SQLCHAR*, SQLSMALLINT) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  std::string control = control_of_dsn(text_of(dsn, dsn_length));
  if (control.empty() && std::getenv("FAULT_DRIVER_CONTROL") != nullptr) {
    control = std::getenv("FAULT_DRIVER_CONTROL");
  }
  return do_connect(dbc, control);
}

SQLRETURN SQLDisconnect(SQLHDBC handle) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  if (!dbc->connected) return dbc->error("08003", "[fault] connection not open");
  for (Stmt* s : dbc->stmts) {
    s->magic = 0;
    delete s;
  }
  count(dbc->control, "statements", -static_cast<long>(dbc->stmts.size()));
  dbc->stmts.clear();
  dbc->connected = false;
  --live_connections;
  count(dbc->control, "disconnects");
  return SQL_SUCCESS;
}

SQLRETURN SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLCHAR* sqlstate,
                        SQLINTEGER* native, SQLCHAR* message, SQLSMALLINT capacity,
                        SQLSMALLINT* length) {
  Handle* h = any_handle(type, handle);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  if (record < 1) return SQL_ERROR;
  if (static_cast<std::size_t>(record) > h->diags.size()) return SQL_NO_DATA;
  const DiagRec& r = h->diags[record - 1];
  if (sqlstate != nullptr) std::memcpy(sqlstate, r.sqlstate.c_str(), 6);
  if (native != nullptr) *native = 0;
  return copy_out_as(r.message, message, capacity, length) ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

SQLRETURN SQLGetDiagField(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record, SQLSMALLINT field,
                          SQLPOINTER value, SQLSMALLINT capacity, SQLSMALLINT* length) {
  Handle* h = any_handle(type, handle);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  auto text = [&](const std::string& s) {
    return copy_out_as(s, value, capacity, length) ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
  };
  switch (field) {  // header fields
    case SQL_DIAG_NUMBER:
      if (value != nullptr)
        *static_cast<SQLINTEGER*>(value) = static_cast<SQLINTEGER>(h->diags.size());
      return SQL_SUCCESS;
    case SQL_DIAG_RETURNCODE:
      if (value != nullptr) *static_cast<SQLRETURN*>(value) = h->last_rc;
      return SQL_SUCCESS;
    case SQL_DIAG_ROW_COUNT:
    case SQL_DIAG_CURSOR_ROW_COUNT:
      if (type != SQL_HANDLE_STMT) return SQL_ERROR;
      if (value != nullptr) *static_cast<SQLLEN*>(value) = static_cast<Stmt*>(h)->row_count;
      return SQL_SUCCESS;
    case SQL_DIAG_DYNAMIC_FUNCTION:
      return text("");
    case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
      if (value != nullptr) *static_cast<SQLINTEGER*>(value) = SQL_DIAG_UNKNOWN_STATEMENT;
      return SQL_SUCCESS;
    default:
      break;
  }
  if (record < 1) return SQL_ERROR;
  if (static_cast<std::size_t>(record) > h->diags.size()) return SQL_NO_DATA;
  const DiagRec& r = h->diags[record - 1];
  switch (field) {
    case SQL_DIAG_SQLSTATE:
      return text(r.sqlstate);
    case SQL_DIAG_MESSAGE_TEXT:
      return text(r.message);
    case SQL_DIAG_NATIVE:
      if (value != nullptr) *static_cast<SQLINTEGER*>(value) = 0;
      return SQL_SUCCESS;
    case SQL_DIAG_CLASS_ORIGIN:
    case SQL_DIAG_SUBCLASS_ORIGIN:
      return text(r.sqlstate.compare(0, 2, "IM") == 0 ? "ODBC 3.0" : "ISO 9075");
    case SQL_DIAG_CONNECTION_NAME:
    case SQL_DIAG_SERVER_NAME:
      return text("");
    case SQL_DIAG_ROW_NUMBER:
      if (value != nullptr) *static_cast<SQLLEN*>(value) = SQL_ROW_NUMBER_UNKNOWN;
      return SQL_SUCCESS;
    case SQL_DIAG_COLUMN_NUMBER:
      if (value != nullptr) *static_cast<SQLINTEGER*>(value) = SQL_COLUMN_NUMBER_UNKNOWN;
      return SQL_SUCCESS;
    default:
      return SQL_ERROR;
  }
}

SQLRETURN SQLSetConnectAttr(SQLHDBC handle, SQLINTEGER attribute, SQLPOINTER value,
                            SQLINTEGER length) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  if (attribute == SQL_ATTR_CONNECTION_DEAD)
    return dbc->error("HY092", "[fault] read-only attribute");
  if (is_text_connect_attr(attribute)) {
    dbc->text_attrs[attribute] = text_of(static_cast<SQLCHAR*>(value), length);
    return SQL_SUCCESS;
  }
  const auto v = static_cast<SQLULEN>(reinterpret_cast<uintptr_t>(value));
  if (attribute == SQL_ATTR_AUTOCOMMIT && v == SQL_AUTOCOMMIT_ON && dbc->in_transaction) {
    count(dbc->control, "commits");  // turning autocommit on commits
    dbc->in_transaction = false;
  }
  dbc->attrs[attribute] = v;
  return SQL_SUCCESS;
}

SQLRETURN SQLGetConnectAttr(SQLHDBC handle, SQLINTEGER attribute, SQLPOINTER value,
                            SQLINTEGER capacity, SQLINTEGER* length) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  if (attribute == SQL_ATTR_CONNECTION_DEAD) {
    const KeyValues kv = dbc->settings();
    bool dead = dbc->dead || !dbc->connected;
    if (kv.count("dead") != 0) dead = kv.at("dead") == "1";
    if (value != nullptr) *static_cast<SQLUINTEGER*>(value) = dead ? SQL_CD_TRUE : SQL_CD_FALSE;
    if (length != nullptr) *length = sizeof(SQLUINTEGER);
    return SQL_SUCCESS;
  }
  if (is_text_connect_attr(attribute)) {
    auto it = dbc->text_attrs.find(attribute);
    if (it == dbc->text_attrs.end()) return dbc->error("HY092", "[fault] attribute not set");
    return copy_out_as(it->second, value, capacity, length)
               ? dbc->error("01004", "[fault] string data, right truncated", SQL_SUCCESS_WITH_INFO)
               : SQL_SUCCESS;
  }
  auto it = dbc->attrs.find(attribute);
  if (it == dbc->attrs.end()) return dbc->error("HY092", "[fault] attribute not supported");
  if (value != nullptr) *static_cast<SQLUINTEGER*>(value) = static_cast<SQLUINTEGER>(it->second);
  if (length != nullptr) *length = sizeof(SQLUINTEGER);
  return SQL_SUCCESS;
}

SQLRETURN SQLGetInfo(SQLHDBC handle, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity,
                     SQLSMALLINT* length) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  auto text = [&](const std::string& s) {
    return copy_out_as(s, value, capacity, length)
               ? dbc->error("01004", "[fault] string data, right truncated", SQL_SUCCESS_WITH_INFO)
               : SQL_SUCCESS;
  };
  auto small = [&](SQLUSMALLINT v) {
    if (value != nullptr) *static_cast<SQLUSMALLINT*>(value) = v;
    if (length != nullptr) *length = sizeof v;
    return SQL_SUCCESS;
  };
  auto integer = [&](SQLUINTEGER v) {
    if (value != nullptr) *static_cast<SQLUINTEGER*>(value) = v;
    if (length != nullptr) *length = sizeof v;
    return SQL_SUCCESS;
  };
  switch (type) {
    case SQL_DRIVER_NAME:
      return text("libodbcpool_fault_driver.so");
    case SQL_DRIVER_VER:
    case SQL_DBMS_VER:
      return text("01.00.0000");
    case SQL_DRIVER_ODBC_VER:
      return text("03.00");
    case SQL_DBMS_NAME:
      return text("FaultDB");
    case SQL_DATABASE_NAME:
      return text("faultdb");
    case SQL_SERVER_NAME:
      return text("fault");
    case SQL_DATA_SOURCE_NAME:
    case SQL_USER_NAME:
      return text("");
    case SQL_DATA_SOURCE_READ_ONLY:
      return text("N");
    case SQL_IDENTIFIER_QUOTE_CHAR:
      return text("\"");
    case SQL_TXN_CAPABLE:
      return small(SQL_TC_ALL);
    case SQL_CURSOR_COMMIT_BEHAVIOR:
    case SQL_CURSOR_ROLLBACK_BEHAVIOR:
      return small(SQL_CB_PRESERVE);
    case SQL_MAX_CONCURRENT_ACTIVITIES:
    case SQL_MAX_DRIVER_CONNECTIONS:
      return small(0);
    case SQL_GETDATA_EXTENSIONS:
      return integer(SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER);
    case SQL_ASYNC_MODE:
      return integer(SQL_AM_NONE);
    default:
      return dbc->error("HY096", "[fault] information type not supported");
  }
}

SQLRETURN SQLGetFunctions(SQLHDBC handle, SQLUSMALLINT function, SQLUSMALLINT* supported) {
  Dbc* dbc = as<Dbc>(handle, kDbc);
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  if (supported == nullptr) return dbc->error("HY009", "[fault] invalid use of null pointer");
  if (function == SQL_API_ODBC3_ALL_FUNCTIONS) {
    std::memset(supported, 0, sizeof(SQLUSMALLINT) * SQL_API_ODBC3_ALL_FUNCTIONS_SIZE);
    for (SQLUSMALLINT id : kImplemented)
      supported[id >> 4] |= static_cast<SQLUSMALLINT>(1u << (id & 0xF));
    return SQL_SUCCESS;
  }
  if (function == SQL_API_ALL_FUNCTIONS) {
    std::memset(supported, 0, sizeof(SQLUSMALLINT) * 100);
    for (SQLUSMALLINT id : kImplemented) {
      if (id < 100) supported[id] = SQL_TRUE;
    }
    return SQL_SUCCESS;
  }
  *supported = std::find(std::begin(kImplemented), std::end(kImplemented), function) !=
                       std::end(kImplemented)
                   ? SQL_TRUE
                   : SQL_FALSE;
  return SQL_SUCCESS;
}

SQLRETURN SQLEndTran(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT completion) {
  if (type == SQL_HANDLE_ENV)
    return as<Env>(handle, kEnv) != nullptr ? SQL_SUCCESS : SQL_INVALID_HANDLE;
  Dbc* dbc = type == SQL_HANDLE_DBC ? as<Dbc>(handle, kDbc) : nullptr;
  if (dbc == nullptr) return SQL_INVALID_HANDLE;
  dbc->diags.clear();
  if (!dbc->connected) return dbc->error("08003", "[fault] connection not open");
  if (dbc->dead)
    return dbc->error("08S01", "[fault] communication link failure (connection is dead)");
  count(dbc->control, completion == SQL_COMMIT ? "commits" : "rollbacks");
  dbc->in_transaction = false;
  return SQL_SUCCESS;
}

SQLRETURN SQLExecDirect(SQLHSTMT handle, SQLCHAR* text, SQLINTEGER length) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  s->has_prepared = false;
  return run(s, text_of(text, length));
}

SQLRETURN SQLPrepare(SQLHSTMT handle, SQLCHAR* text, SQLINTEGER length) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  close_cursor(s);
  s->prepared = text_of(text, length);
  s->has_prepared = true;
  s->executed = false;
  return SQL_SUCCESS;
}

SQLRETURN SQLExecute(SQLHSTMT handle) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (!s->has_prepared) return s->error("HY010", "[fault] function sequence error");
  return run(s, s->prepared);
}

SQLRETURN SQLNumResultCols(SQLHSTMT handle, SQLSMALLINT* columns) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  const bool rows = s->has_result || (s->has_prepared && !s->executed && returns_rows(s->prepared));
  if (columns != nullptr) *columns = rows ? 1 : 0;
  return SQL_SUCCESS;
}

SQLRETURN SQLFetch(SQLHSTMT handle) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (!s->has_result) return s->error("24000", "[fault] invalid cursor state");
  s->read_offset = 0;
  s->column_read = false;
  if (s->fetched || s->done) {
    s->fetched = false;
    s->done = true;
    return SQL_NO_DATA;
  }
  s->fetched = true;
  return SQL_SUCCESS;
}

SQLRETURN SQLGetData(SQLHSTMT handle, SQLUSMALLINT column, SQLSMALLINT c_type, SQLPOINTER value,
                     SQLLEN capacity, SQLLEN* indicator) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (!s->fetched) return s->error("24000", "[fault] invalid cursor state");
  if (column != 1) return s->error("07009", "[fault] invalid descriptor index");
  if (s->column_read) return SQL_NO_DATA;
  switch (c_type) {
    case SQL_C_CHAR: {
      const std::string all = std::to_string(s->value);
      const std::string rest = all.substr(std::min(s->read_offset, all.size()));
      if (copy_out(rest, value, capacity, indicator)) {
        s->read_offset += capacity > 0 ? static_cast<std::size_t>(capacity) - 1 : 0;
        return s->error("01004", "[fault] string data, right truncated", SQL_SUCCESS_WITH_INFO);
      }
      break;
    }
    case SQL_C_DEFAULT:
    case SQL_C_LONG:
    case SQL_C_SLONG:
      if (value != nullptr) *static_cast<SQLINTEGER*>(value) = static_cast<SQLINTEGER>(s->value);
      if (indicator != nullptr) *indicator = sizeof(SQLINTEGER);
      break;
    case SQL_C_SBIGINT:
      if (value != nullptr) *static_cast<SQLBIGINT*>(value) = s->value;
      if (indicator != nullptr) *indicator = sizeof(SQLBIGINT);
      break;
    default:
      return s->error("07006", "[fault] restricted data type attribute violation");
  }
  s->column_read = true;
  return SQL_SUCCESS;
}

SQLRETURN SQLRowCount(SQLHSTMT handle, SQLLEN* rows) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (rows != nullptr) *rows = s->row_count;
  return SQL_SUCCESS;
}

SQLRETURN SQLMoreResults(SQLHSTMT handle) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  close_cursor(s);
  return SQL_NO_DATA;
}

SQLRETURN SQLFreeStmt(SQLHSTMT handle, SQLUSMALLINT option) {
  if (option == SQL_DROP) return SQLFreeHandle(SQL_HANDLE_STMT, handle);
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (option == SQL_CLOSE) close_cursor(s);
  return SQL_SUCCESS;
}

SQLRETURN SQLCloseCursor(SQLHSTMT handle) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  if (!s->has_result) return s->error("24000", "[fault] invalid cursor state");
  close_cursor(s);
  return SQL_SUCCESS;
}

SQLRETURN SQLCancel(SQLHSTMT handle) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  // May come from another thread while the statement runs: touch only the flag.
  s->cancel = true;
  count(s->dbc->control, "cancels");
  return SQL_SUCCESS;
}

SQLRETURN SQLSetStmtAttr(SQLHSTMT handle, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  s->attrs[attribute] = static_cast<SQLULEN>(reinterpret_cast<uintptr_t>(value));
  return SQL_SUCCESS;
}

SQLRETURN SQLGetStmtAttr(SQLHSTMT handle, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER,
                         SQLINTEGER* length) {
  Stmt* s = as<Stmt>(handle, kStmt);
  if (s == nullptr) return SQL_INVALID_HANDLE;
  s->diags.clear();
  const SQLINTEGER descs[] = {SQL_ATTR_APP_ROW_DESC, SQL_ATTR_APP_PARAM_DESC, SQL_ATTR_IMP_ROW_DESC,
                              SQL_ATTR_IMP_PARAM_DESC};
  for (int i = 0; i < 4; ++i) {
    if (attribute != descs[i]) continue;
    if (value != nullptr) *static_cast<SQLHDESC*>(value) = &s->descs[i];
    if (length != nullptr) *length = sizeof(SQLHDESC);
    return SQL_SUCCESS;
  }
  auto it = s->attrs.find(attribute);
  if (value != nullptr) *static_cast<SQLULEN*>(value) = it == s->attrs.end() ? 0 : it->second;
  if (length != nullptr) *length = sizeof(SQLULEN);
  return SQL_SUCCESS;
}

// ================================================================ control functions

long fault_connects() {
  std::lock_guard<std::mutex> lock(counters_mutex());
  return read_count(global_counters(), "connects");
}

long fault_disconnects() {
  std::lock_guard<std::mutex> lock(counters_mutex());
  return read_count(global_counters(), "disconnects");
}

long fault_live_connections() {
  return live_connections.load();
}

long fault_executes() {
  std::lock_guard<std::mutex> lock(counters_mutex());
  return read_count(global_counters(), "executes");
}

void fault_reset_counters() {
  std::lock_guard<std::mutex> lock(counters_mutex());
  global_counters().values.clear();
  per_control().clear();
}

long fault_count(const char* control, const char* what) {
  if (control == nullptr || what == nullptr) return 0;
  std::lock_guard<std::mutex> lock(counters_mutex());
  const std::string name = what;
  if (name == "live") {
    const auto& c = per_control()[control];
    return read_count(c, "connects") - read_count(c, "disconnects");
  }
  return read_count(per_control()[control], name);
}

}  // extern "C"
