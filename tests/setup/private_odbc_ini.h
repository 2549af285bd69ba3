// A private unixODBC configuration for the setup library's tests: an
// odbcinst.ini registering the built driver and setup library, a system
// odbc.ini with a SQLite DSN to pool, and an empty user odbc.ini, in a
// directory of this process's own. libodbcinst remembers the system
// directory of the first call, so the directory lives as long as the
// process and each test starts by rewriting the files in it.
#pragma once

#include <odbcinst.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace odbcpool::setup_test {

// The DSN of the system odbc.ini that pooled DSNs wrap.
inline constexpr const char* kSqliteDsn = "sqlite_target";
// The name the driver is registered under in odbcinst.ini.
inline constexpr const char* kDriver = "odbcpool";

class PrivateOdbcIni : public ::testing::Test {
 public:
  static std::string dir();
  static std::string user_ini() { return dir() + "/user-odbc.ini"; }
  static std::string system_ini() { return dir() + "/odbc.ini"; }
  static std::string driver_ini() { return dir() + "/odbcinst.ini"; }
  static std::string sqlite_database() { return dir() + "/test.sqlite"; }

 protected:
  void SetUp() override;
};

// "a\0b\0\0" from {"a", "b"}.
std::string multi_string(const std::vector<std::string>& entries);

// Through libodbcinst, as applications call it.
bool config_data_source(WORD request, const std::vector<std::string>& attributes,
                        HWND window = nullptr);
// The messages SQLInstallerError has, oldest first, joined by " | ".
std::string installer_errors();
// The first error's code, 0 when there is none.
DWORD installer_error_code();
// SQLGetPrivateProfileString of odbc.ini (user, then system).
std::string dsn_value(const std::string& dsn, const std::string& key);

std::string read_file(const std::string& path);
// The "[section]" block of an ini file as written, empty when absent.
std::string ini_section(const std::string& path, const std::string& section);
// A fresh process's view: `odbcinst ARGS` with this environment.
std::string run_odbcinst(const std::string& arguments);

}  // namespace odbcpool::setup_test
