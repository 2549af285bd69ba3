// Which odbc.ini a DSN request reads and writes. SQLConfigDataSource sets the
// mode itself (user for ODBC_ADD_DSN, system for ODBC_ADD_SYS_DSN, ...); a
// caller that loads ConfigDSN directly gets the same for the duration of the
// request: the *_SYS_DSN requests use the system file, and the others the
// user file unless the caller chose a file with SQLSetConfigMode. Left in
// ODBC_BOTH_DSN, libodbcinst would read user and system DSNs but write the
// user file, so changing a system DSN would leave a partial user copy that
// hides it.
#pragma once

#include <odbcinst.h>

#include <string>

namespace odbcpool::setup {

class ScopedConfigMode {
 public:
  explicit ScopedConfigMode(bool system);
  ~ScopedConfigMode();
  ScopedConfigMode(const ScopedConfigMode&) = delete;
  ScopedConfigMode& operator=(const ScopedConfigMode&) = delete;

 private:
  bool changed_ = false;
  UWORD previous_ = ODBC_BOTH_DSN;
};

// For messages: the odbc.ini file(s) the current mode reads and writes.
std::string dsn_files_in_mode();

}  // namespace odbcpool::setup
