#include "target_library.h"

#include <dlfcn.h>
#include <link.h>

#include <cstring>

#include "errors.h"
#include "lengths.h"
#include "target_diagnostics.h"

#ifndef ODBCPOOL_DRIVER_DIRECTORY
#define ODBCPOOL_DRIVER_DIRECTORY "/usr/lib/x86_64-linux-gnu/odbc"
#endif

namespace odbcpool {

namespace {

std::mutex& libraries_mutex() {
  static std::mutex m;
  return m;
}

// Leaked on purpose: the libraries and their environments must stay valid
// through static destruction, while other threads or atexit handlers may
// still be closing connections.
std::map<std::string, TargetLibrary*>& libraries() {
  static auto* m = new std::map<std::string, TargetLibrary*>();
  return *m;
}

// Shortened: the loader's message names the file, which may be a value of
// any length from a connection string.
std::string dl_error() {
  const char* e = dlerror();
  return e ? shortened(e, 512) : "unknown loader error";
}

// A symbol dlsym found in one of the target's dependencies (libodbc, say)
// rather than in the target itself must not be called as the target's own:
// the Driver Manager's entry points would recurse into the Driver Manager.
bool defined_in(void* handle, void* symbol) {
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return true;
  Dl_info info{};
  if (dladdr(symbol, &info) == 0) return true;
  return reinterpret_cast<ElfW(Addr)>(info.dli_fbase) == map->l_addr;
}

}  // namespace

std::string default_driver_directory() {
  return ODBCPOOL_DRIVER_DIRECTORY;
}

void TargetLibrary::lock_all_for_fork() noexcept {
  libraries_mutex().lock();
  for (auto& [path, library] : libraries()) library->env_mutex_.lock();
}

void TargetLibrary::unlock_all_after_fork() noexcept {
  auto& all = libraries();
  for (auto it = all.rbegin(); it != all.rend(); ++it) it->second->env_mutex_.unlock();
  libraries_mutex().unlock();
}

TargetLibrary::TargetLibrary(std::string path, void* handle)
    : path_(std::move(path)), handle_(handle) {}

TargetLibrary& TargetLibrary::load(const std::string& path) {
  std::lock_guard<std::mutex> lock(libraries_mutex());
  auto it = libraries().find(path);
  if (it != libraries().end()) return *it->second;

  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  std::string first_error;
  if (handle == nullptr && path.find('/') == std::string::npos) {
    first_error = dl_error();
    const std::string in_driver_dir = default_driver_directory() + "/" + path;
    handle = dlopen(in_driver_dir.c_str(), RTLD_NOW | RTLD_LOCAL);
  }
  if (handle == nullptr) {
    std::string message =
        "cannot load target driver library '" + shortened(path, 256) + "': " + dl_error();
    if (!first_error.empty() && first_error != message)
      message += " (also tried by bare name: " + first_error + ")";
    throw OdbcError("IM003", message);
  }
  auto* library = new TargetLibrary(path, handle);
  try {
    library->resolve();
  } catch (...) {
    delete library;
    dlclose(handle);
    throw;
  }
  libraries().emplace(path, library);
  return *library;
}

void TargetLibrary::resolve() {
  const auto lookup = [&](const char* name) -> void* {
    void* symbol = dlsym(handle_, name);
    return symbol != nullptr && defined_in(handle_, symbol) ? symbol : nullptr;
  };
#define ODBCPOOL_RESOLVE_PLAIN(F, id) fn_.F = reinterpret_cast<decltype(fn_.F)>(lookup(#F));
#define ODBCPOOL_RESOLVE_TEXT(F, id)                     \
  fn_.F = reinterpret_cast<decltype(fn_.F)>(lookup(#F)); \
  fn_.F##W = reinterpret_cast<decltype(fn_.F##W)>(lookup(#F "W"));
  ODBCPOOL_PLAIN_FUNCTIONS(ODBCPOOL_RESOLVE_PLAIN)
  ODBCPOOL_TEXT_FUNCTIONS(ODBCPOOL_RESOLVE_TEXT)
#undef ODBCPOOL_RESOLVE_PLAIN
#undef ODBCPOOL_RESOLVE_TEXT
  fn_.SQLError = reinterpret_cast<decltype(fn_.SQLError)>(lookup("SQLError"));
  fn_.SQLErrorW = reinterpret_cast<decltype(fn_.SQLErrorW)>(lookup("SQLErrorW"));
  fn_.SQLColAttributes =
      reinterpret_cast<decltype(fn_.SQLColAttributes)>(lookup("SQLColAttributes"));
  fn_.SQLColAttributesW =
      reinterpret_cast<decltype(fn_.SQLColAttributesW)>(lookup("SQLColAttributesW"));

  std::string missing;
  const auto require = [&](bool present, const char* name) {
    if (!present) missing += missing.empty() ? name : std::string(", ") + name;
  };
  require(fn_.SQLAllocHandle != nullptr, "SQLAllocHandle");
  require(fn_.SQLFreeHandle != nullptr, "SQLFreeHandle");
  require(fn_.SQLDisconnect != nullptr, "SQLDisconnect");
  require(fn_.SQLDriverConnect != nullptr || fn_.SQLDriverConnectW != nullptr,
          "SQLDriverConnect[W]");
  require(fn_.SQLGetDiagRec != nullptr || fn_.SQLGetDiagRecW != nullptr, "SQLGetDiagRec[W]");
  if (!missing.empty()) {
    throw OdbcError("IM003", "target driver library '" + shortened(path_, 256) +
                                 "' lacks required ODBC 3 entry points: " + missing);
  }
}

void drop_disowned(FunctionTable& fn, SQLHDBC connected_dbc) {
  if (fn.SQLGetFunctions == nullptr) return;
  SQLUSMALLINT claimed[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE] = {};
  if (fn.SQLGetFunctions(connected_dbc, SQL_API_ODBC3_ALL_FUNCTIONS, claimed) != SQL_SUCCESS) {
    return;
  }
  const auto essential = [](unsigned short id) {
    return id == SQL_API_SQLALLOCHANDLE || id == SQL_API_SQLFREEHANDLE ||
           id == SQL_API_SQLDISCONNECT || id == SQL_API_SQLDRIVERCONNECT ||
           id == SQL_API_SQLGETFUNCTIONS || id == SQL_API_SQLSETENVATTR;
  };
  const auto disowned = [&](unsigned short id) {
    return !essential(id) && SQL_FUNC_EXISTS(claimed, id) != SQL_TRUE;
  };
#define ODBCPOOL_DROP(F, id) \
  if (disowned(id)) fn.F = nullptr;
  ODBCPOOL_PLAIN_FUNCTIONS(ODBCPOOL_DROP)
  ODBCPOOL_TEXT_FUNCTIONS(ODBCPOOL_DROP)
#undef ODBCPOOL_DROP
  if (SQL_FUNC_EXISTS(claimed, SQL_API_SQLERROR) != SQL_TRUE) fn.SQLError = nullptr;
  if (SQL_FUNC_EXISTS(claimed, SQL_API_SQLCOLATTRIBUTES) != SQL_TRUE) {
    fn.SQLColAttributes = nullptr;
    fn.SQLColAttributesW = nullptr;
  }
}

bool TargetLibrary::exports(unsigned short function_id) const {
  switch (function_id) {
#define ODBCPOOL_CASE_PLAIN(F, id) \
  case id:                         \
    return fn_.F != nullptr;
#define ODBCPOOL_CASE_TEXT(F, id) \
  case id:                        \
    return fn_.F != nullptr || fn_.F##W != nullptr;
    ODBCPOOL_PLAIN_FUNCTIONS(ODBCPOOL_CASE_PLAIN)
    ODBCPOOL_TEXT_FUNCTIONS(ODBCPOOL_CASE_TEXT)
#undef ODBCPOOL_CASE_PLAIN
#undef ODBCPOOL_CASE_TEXT
    default:
      return false;
  }
}

SQLHENV TargetLibrary::environment(SQLINTEGER odbc_version) {
  std::lock_guard<std::mutex> lock(env_mutex_);
  auto it = environments_.find(odbc_version);
  if (it != environments_.end()) return it->second;

  SQLHENV env = SQL_NULL_HENV;
  SQLRETURN rc = fn_.SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  if (!SQL_SUCCEEDED(rc)) {
    throw OdbcError(
        "IM004", "target driver '" + shortened(path_, 256) + "' could not allocate an environment");
  }
  if (fn_.SQLSetEnvAttr != nullptr) {
    rc = fn_.SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
                           reinterpret_cast<SQLPOINTER>(static_cast<intptr_t>(odbc_version)), 0);
    if (!SQL_SUCCEEDED(rc)) {
      auto records = read_target_diagnostics(fn_, SQL_HANDLE_ENV, env);
      fn_.SQLFreeHandle(SQL_HANDLE_ENV, env);
      throw TargetError(std::move(records), rc);
    }
  }
  environments_.emplace(odbc_version, env);
  return env;
}

}  // namespace odbcpool
