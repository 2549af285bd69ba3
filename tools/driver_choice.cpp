#include "driver_choice.h"

#include <climits>
#include <cstdlib>

#include "connect_config.h"

namespace odbcpool::cli {

namespace {

std::string library_of(const std::string& driver, IniReader& ini) {
  if (driver.find('/') != std::string::npos) return driver;
  const IniSection section = ini.driver_section(driver);
  const std::string* lib = find_value(section, "Driver64");
  if (lib == nullptr || lib->empty()) lib = find_value(section, "Driver");
  return lib == nullptr ? std::string() : *lib;
}

std::string real_path(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : path;
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool names_odbcpool(const DriverChoice& choice, IniReader& ini) {
  if (iequals(choice.driver, kDriverSection)) return true;
  if (choice.library.empty()) return false;
  const std::string ours = library_of(kDriverSection, ini);
  if (!ours.empty() && real_path(ours) == real_path(choice.library)) return true;
  return base_name(choice.library).rfind("libodbcpool.so", 0) == 0;
}

}  // namespace

std::string library_name_warning(const DriverChoice& choice) {
  if (!choice.is_odbcpool || choice.library.empty()) return {};
  const std::string name = base_name(choice.library);
  if (name == "libodbcpool.so") return {};
  return "the driver library is registered as '" + choice.library +
         "': under a file name other than libodbcpool.so every connect looks each entry point "
         "up twice (libltdl asks for <module>_LTX_<name> first, which only libodbcpool exports); "
         "register the library by its installed name";
}

DriverChoice driver_for(const ConnectionString& app, IniReader& ini) {
  DriverChoice choice;
  for (const auto& e : app.entries()) {
    if (iequals(e.key, "DRIVER")) {
      choice.driver = e.value;
      choice.where = "the connection string";
      break;
    }
    if (iequals(e.key, "DSN")) {
      const IniSection section = ini.dsn_section(e.value);
      const std::string* driver = find_value(section, "Driver");
      if (driver != nullptr) choice.driver = *driver;
      choice.where = "odbc.ini [" + e.value + "]";
      break;
    }
  }
  if (!choice.driver.empty()) {
    choice.library = library_of(choice.driver, ini);
    choice.is_odbcpool = names_odbcpool(choice, ini);
  }
  return choice;
}

}  // namespace odbcpool::cli
