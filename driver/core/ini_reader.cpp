#include "ini_reader.h"

#include <odbcinst.h>

#include <cstdlib>

#include "connection_string.h"

namespace odbcpool {

namespace {

// SQLGetPrivateProfileString cuts long results silently; retry with a larger
// buffer while the answer fills it.
std::string profile_string(const char* section, const char* key, const char* file) {
  std::string buffer(4096, '\0');
  for (;;) {
    int n = SQLGetPrivateProfileString(section, key, "", buffer.data(),
                                       static_cast<int>(buffer.size()), file);
    if (n < 0) return {};
    if (static_cast<std::size_t>(n) + 2 < buffer.size() || buffer.size() >= (1u << 20)) {
      buffer.resize(static_cast<std::size_t>(n));
      return buffer;
    }
    buffer.assign(buffer.size() * 4, '\0');
  }
}

IniSection read_section(const std::string& section, const char* file) {
  IniSection out;
  if (section.empty()) return out;
  const std::string keys = profile_string(section.c_str(), nullptr, file);
  std::size_t pos = 0;
  while (pos < keys.size()) {
    const std::size_t end = keys.find('\0', pos);
    const std::string key =
        keys.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (key.empty()) break;
    out.emplace_back(key, profile_string(section.c_str(), key.c_str(), file));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

class OdbcInstReader final : public IniReader {
 public:
  IniSection dsn_section(const std::string& dsn) override { return read_section(dsn, "ODBC.INI"); }
  IniSection driver_section(const std::string& driver) override {
    return read_section(driver, "ODBCINST.INI");
  }
  std::string dsn_files() const override { return user_file() + " and " + system_file(); }
  std::string driver_file() const override {
    const std::string name = env_or("ODBCINSTINI", "odbcinst.ini");
    return name.front() == '/' ? name : env_or("ODBCSYSINI", "/etc") + "/" + name;
  }
  std::string dsn_file(const std::string& dsn) override {
    // SQLGetPrivateProfileString reads a file given by absolute path alone.
    const std::string user = user_file();
    if (user.front() == '/' && !read_section(dsn, user.c_str()).empty()) return user;
    return system_file();
  }
  std::vector<std::string> files() const override {
    return {user_file(), system_file(), driver_file()};
  }

 private:
  static std::string user_file() { return env_or("ODBCINI", env_or("HOME", "~") + "/.odbc.ini"); }
  static std::string system_file() { return env_or("ODBCSYSINI", "/etc") + "/odbc.ini"; }
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
