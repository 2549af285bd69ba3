#include "config_mode.h"

#include <cstdlib>

namespace odbcpool::setup {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

std::string user_file() {
  return env_or("ODBCINI", env_or("HOME", "~") + "/.odbc.ini");
}

std::string system_file() {
  return env_or("ODBCSYSINI", "/etc") + "/odbc.ini";
}

}  // namespace

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
      return user_file();
    case ODBC_SYSTEM_DSN:
      return system_file();
    default:
      return user_file() + " and " + system_file();
  }
}

}  // namespace odbcpool::setup
