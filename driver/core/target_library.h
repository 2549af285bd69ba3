// A target ODBC driver library: loaded once per process with dlopen, its
// entry points resolved by name into a table of typed pointers. The library
// is never unloaded, and the target environments it hands out live as long
// as the process, because pooled connections outlive every application
// environment handle.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "odbc.h"
#include "target_functions.h"

namespace odbcpool {

struct FunctionTable {
#define ODBCPOOL_DECLARE_PLAIN(F, id) decltype(&::F) F = nullptr;
#define ODBCPOOL_DECLARE_TEXT(F, id) \
  decltype(&::F) F = nullptr;        \
  decltype(&::F##W) F##W = nullptr;
  ODBCPOOL_PLAIN_FUNCTIONS(ODBCPOOL_DECLARE_PLAIN)
  ODBCPOOL_TEXT_FUNCTIONS(ODBCPOOL_DECLARE_TEXT)
#undef ODBCPOOL_DECLARE_PLAIN
#undef ODBCPOOL_DECLARE_TEXT
  // Never forwarded (the Driver Manager maps SQLError onto SQLGetDiagRec),
  // but it is how the Driver Manager reads the records of a target that
  // does not claim SQLGetDiagRec, so it is how we read them too.
  decltype(&::SQLError) SQLError = nullptr;
  decltype(&::SQLErrorW) SQLErrorW = nullptr;
  // Called only for an application's own SQLColAttributes (ODBC 2), where
  // a target's answers may differ from its SQLColAttribute's.
  decltype(&::SQLColAttributes) SQLColAttributes = nullptr;
  decltype(&::SQLColAttributesW) SQLColAttributesW = nullptr;
};

// Whether the target can serve a function in ANSI form, wide form or both.
struct Forms {
  bool ansi;
  bool wide;
  bool any() const { return ansi || wide; }
};

class TargetLibrary {
 public:
  // Loads (once per resolved path) and resolves the entry points. Throws
  // OdbcError IM003 naming the library and dlopen's message when it cannot
  // be loaded or lacks what every driver must have.
  static TargetLibrary& load(const std::string& path);

  const std::string& path() const { return path_; }
  const FunctionTable& fn() const { return fn_; }

  // Whether the target exports the function with this SQL_API_* id, in
  // either form (what SQLGetFunctions can promise on its behalf).
  bool exports(unsigned short function_id) const;

  // The process-wide target environment for one ODBC behaviour version.
  // Throws TargetError when the target refuses to allocate it.
  SQLHENV environment(SQLINTEGER odbc_version);

  TargetLibrary(const TargetLibrary&) = delete;
  TargetLibrary& operator=(const TargetLibrary&) = delete;

  // For process_lifecycle.cpp only: the library table's lock, then every
  // library's environment lock (in path order); and their release.
  static void lock_all_for_fork() noexcept;
  static void unlock_all_after_fork() noexcept;

 private:
  TargetLibrary(std::string path, void* handle);
  void resolve();

  std::string path_;
  void* handle_;
  FunctionTable fn_;
  std::mutex env_mutex_;
  std::map<SQLINTEGER, SQLHENV> environments_;
};

// What the Driver Manager does right after a connect: asks the target
// SQLGetFunctions(SQL_API_ODBC3_ALL_FUNCTIONS) on the connected handle and
// never calls an exported entry point the target disowns (the ANSI one, for a
// name with a wide twin: DriverManager/SQLConnect.c). The SQLite ODBC driver,
// for one, exports stubs of SQLSetDescField and SQLGetDiagRec it disowns.
// Drops the same ones from `fn`, except those odbcpool cannot do without.
void drop_disowned(FunctionTable& fn, SQLHDBC connected_dbc);

// Where unixODBC looks for a driver given by bare file name.
std::string default_driver_directory();

}  // namespace odbcpool
