#include "ini_reader.h"

#include <odbcinst.h>

#include "connection_string.h"
#include "ini_files.h"

namespace odbcpool {

namespace {

IniSection read_section(const std::string& section, const char* file) {
  IniSection out;
  if (section.empty()) return out;
  const std::string keys = private_profile_string(section.c_str(), nullptr, file);
  std::size_t pos = 0;
  while (pos < keys.size()) {
    const std::size_t end = keys.find('\0', pos);
    const std::string key =
        keys.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (key.empty()) break;
    out.emplace_back(key, private_profile_string(section.c_str(), key.c_str(), file));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

class OdbcInstReader final : public IniReader {
 public:
  IniSection dsn_section(const std::string& dsn) override { return read_section(dsn, "ODBC.INI"); }
  IniSection driver_section(const std::string& driver) override {
    return read_section(driver, "ODBCINST.INI");
  }
  std::string dsn_files() const override { return user_odbc_ini() + " and " + system_odbc_ini(); }
  std::string driver_file() const override { return odbcinst_ini(); }
  std::string dsn_file(const std::string& dsn) override {
    // SQLGetPrivateProfileString reads a file given by absolute path alone.
    const std::string user = user_odbc_ini();
    if (user.front() == '/' && !read_section(dsn, user.c_str()).empty()) return user;
    return system_odbc_ini();
  }
  std::vector<std::string> files() const override {
    return {user_odbc_ini(), system_odbc_ini(), driver_file()};
  }
};

}  // namespace

IniReader& system_ini() {
  static OdbcInstReader reader;
  return reader;
}

const std::string* find_value(const IniSection& section, const std::string& key) {
  for (const auto& [k, v] : section) {
    if (iequals(k, key)) return &v;
  }
  return nullptr;
}

}  // namespace odbcpool
