// Which driver the unixODBC Driver Manager loads for a connection string,
// and whether that is odbcpool: `config` and `check` only make sense for
// a connect that goes through odbcpool.
#pragma once

#include <string>

#include "connection_string.h"
#include "ini_reader.h"

namespace odbcpool::cli {

struct DriverChoice {
  std::string driver;   // as written: a name from odbcinst.ini or a library path; empty: none
  std::string where;    // "odbc.ini [orders]" or "the connection string"
  std::string library;  // the library it names, as the Driver Manager finds it
  bool is_odbcpool = false;
};

// As the Driver Manager decides: the first of DSN= and DRIVER= counts.
DriverChoice driver_for(const ConnectionString& app, IniReader& ini);

// A warning when odbcpool is registered under a file name other than
// libodbcpool.so: libltdl then looks up <its module name>_LTX_<function>
// first, which the library does not export, and every connect pays a
// failed lookup per entry point. Empty when the name is fine.
std::string library_name_warning(const DriverChoice& choice);

}  // namespace odbcpool::cli
