#include "private_odbc_ini.h"

#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace odbcpool::setup_test {

namespace {

// Removed when the process exits.
struct ProcessDirectory {
  std::string path;
  ProcessDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "odbcpool-setup-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
    setenv("ODBCSYSINI", path.c_str(), 1);
    setenv("ODBCINSTINI", "odbcinst.ini", 1);
    setenv("ODBCINI", (path + "/user-odbc.ini").c_str(), 1);
  }
  ~ProcessDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace

std::string PrivateOdbcIni::dir() {
  static ProcessDirectory directory;
  return directory.path;
}

void PrivateOdbcIni::SetUp() {
  write_file(driver_ini(), std::string("[ODBC]\nPooling = No\n\n") + "[" + kDriver +
                               "]\nDescription = odbcpool (setup tests)\n"
                               "Driver = " ODBCPOOL_DRIVER_LIBRARY
                               "\n"
                               "Setup = " ODBCPOOL_SETUP_LIBRARY
                               "\n\n"
                               "[SQLite3]\nDescription = SQLite3 ODBC driver\n"
                               "Driver = " ODBCPOOL_SQLITE_DRIVER "\n");
  write_file(system_ini(), std::string("[") + kSqliteDsn +
                               "]\nDriver = SQLite3\nDatabase = " + sqlite_database() + "\n");
  write_file(user_ini(), "");
  std::filesystem::remove(sqlite_database());
  // libodbcinst caches what it read in the last second and forgets it only
  // when it writes odbc.ini itself; a write to a scratch file of ours makes
  // it forget what an earlier test in this process read.
  SQLWritePrivateProfileString("scratch", nullptr, nullptr, (dir() + "/scratch.ini").c_str());
}

std::string multi_string(const std::vector<std::string>& entries) {
  std::string out;
  for (const std::string& e : entries) out += e + '\0';
  out += '\0';
  return out;
}

bool config_data_source(WORD request, const std::vector<std::string>& attributes, HWND window) {
  const std::string list = multi_string(attributes);
  return SQLConfigDataSource(window, request, kDriver, list.c_str()) != 0;
}

std::string installer_errors() {
  std::string out;
  for (WORD i = 1; i <= 8; ++i) {
    DWORD code = 0;
    std::array<char, 2048> message{};
    WORD length = 0;
    const RETCODE rc =
        SQLInstallerError(i, &code, message.data(), static_cast<WORD>(message.size() - 1), &length);
    if (rc == SQL_NO_DATA || rc == SQL_ERROR) break;
    if (!out.empty()) out += " | ";
    out += message.data();
  }
  return out;
}

DWORD installer_error_code() {
  DWORD code = 0;
  std::array<char, 2048> message{};
  WORD length = 0;
  const RETCODE rc =
      SQLInstallerError(1, &code, message.data(), static_cast<WORD>(message.size() - 1), &length);
  return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO ? code : 0;
}

std::string dsn_value(const std::string& dsn, const std::string& key) {
  std::array<char, 4096> buffer{};
  const int n = SQLGetPrivateProfileString(dsn.c_str(), key.c_str(), "", buffer.data(),
                                           static_cast<int>(buffer.size()), "ODBC.INI");
  return n < 0 ? std::string() : std::string(buffer.data());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ini_section(const std::string& path, const std::string& section) {
  std::istringstream in(read_file(path));
  std::string line, out;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.front() == '[') inside = line == "[" + section + "]";
    if (inside) out += line + "\n";
  }
  return out;
}

std::string run_odbcinst(const std::string& arguments) {
  const std::string command = "odbcinst " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string out;
  std::array<char, 512> chunk{};
  std::size_t n;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) out.append(chunk.data(), n);
  pclose(pipe);
  return out;
}

}  // namespace odbcpool::setup_test
