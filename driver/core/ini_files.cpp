#include "ini_files.h"

#include <odbcinst.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace odbcpool {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

std::string home_directory() {
  const passwd* entry = getpwuid(getuid());
  return entry != nullptr && entry->pw_dir != nullptr ? entry->pw_dir : "/home";
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < list.size() && list[pos] != '\0') {
    const std::size_t end = list.find('\0', pos);
    names.push_back(list.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return names;
}

std::vector<std::string> section_names(const char* file) {
  return split_names(private_profile_string(nullptr, nullptr, file));
}

}  // namespace

// libodbcinst cuts a list at a name boundary and a value at the buffer's end
// without saying so. A name is at most 1000 characters (INI_MAX_OBJECT_NAME),
// so an answer that leaves room for one more name was not cut.
std::string private_profile_string(const char* section, const char* key, const char* file) {
  constexpr std::size_t kRoomForOneMore = 1000 + 2;
  constexpr std::size_t kLargest = std::size_t{1} << 24;
  std::string buffer(4096, '\0');
  for (;;) {
    const int n = SQLGetPrivateProfileString(section, key, "", buffer.data(),
                                             static_cast<int>(buffer.size()), file);
    if (n < 0) return {};
    if (static_cast<std::size_t>(n) + kRoomForOneMore < buffer.size() ||
        buffer.size() >= kLargest) {
      buffer.resize(static_cast<std::size_t>(n));
      return buffer;
    }
    buffer.assign(buffer.size() * 4, '\0');
  }
}

std::string user_odbc_ini() {
  return env_or("ODBCINI", home_directory() + "/.odbc.ini");
}

std::string system_odbc_ini() {
  return env_or("ODBCSYSINI", "/etc") + "/odbc.ini";
}

std::string odbcinst_ini() {
  const std::string name = env_or("ODBCINSTINI", "odbcinst.ini");
  return name.front() == '/' ? name : env_or("ODBCSYSINI", "/etc") + "/" + name;
}

std::vector<std::string> configured_dsn_names() {
  UWORD mode = ODBC_BOTH_DSN;
  if (!SQLGetConfigMode(&mode)) mode = ODBC_BOTH_DSN;
  if (mode == ODBC_SYSTEM_DSN || access(user_odbc_ini().c_str(), F_OK) == 0) {
    return section_names("ODBC.INI");
  }
  const std::string system = system_odbc_ini();
  if (mode == ODBC_USER_DSN || access(system.c_str(), F_OK) != 0) return {};
  return section_names(system.c_str());
}

}  // namespace odbcpool
