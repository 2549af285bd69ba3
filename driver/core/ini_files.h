// Where unixODBC keeps its ini files, and the DSNs they configure.
#pragma once

#include <string>
#include <vector>

namespace odbcpool {

// $ODBCINI, else .odbc.ini in the home directory the password database gives
// (unixODBC asks getpwuid, not $HOME, so neither do we).
std::string user_odbc_ini();
// In $ODBCSYSINI, else /etc.
std::string system_odbc_ini();
std::string odbcinst_ini();

// SQLGetPrivateProfileString whole, however long the answer: a value, or
// for a null key (or section) the NUL-separated names. Empty when absent.
std::string private_profile_string(const char* section, const char* key, const char* file);

// The DSN sections of the odbc.ini files the current config mode reads
// (user before system), in file order. Listing through libodbcinst creates
// an empty user odbc.ini where there is none; this reads only the system
// file then, so asking which DSNs exist changes nothing on disk.
std::vector<std::string> configured_dsn_names();

}  // namespace odbcpool
