#include "config_mode.h"

#include "ini_files.h"

namespace odbcpool::setup {

ScopedConfigMode::ScopedConfigMode(bool system) {
  if (!SQLGetConfigMode(&previous_)) previous_ = ODBC_BOTH_DSN;
  UWORD wanted = previous_;
  if (system) {
    wanted = ODBC_SYSTEM_DSN;
  } else if (previous_ == ODBC_BOTH_DSN) {
    wanted = ODBC_USER_DSN;
  }
  if (wanted != previous_) changed_ = SQLSetConfigMode(wanted) != 0;
}

ScopedConfigMode::~ScopedConfigMode() {
  if (changed_) SQLSetConfigMode(previous_);
}

std::string dsn_files_in_mode() {
  UWORD mode = ODBC_BOTH_DSN;
  SQLGetConfigMode(&mode);
  switch (mode) {
    case ODBC_USER_DSN:
      return user_odbc_ini();
    case ODBC_SYSTEM_DSN:
      return system_odbc_ini();
    default:
      return user_odbc_ini() + " and " + system_odbc_ini();
  }
}

}  // namespace odbcpool::setup
