#include "driver_setup.h"

#include "attributes.h"
#include "connect_config.h"
#include "ini_reader.h"
#include "settings_check.h"
#include "setup_error.h"

namespace odbcpool::setup {

namespace {

const std::string kWhere = std::string("odbcinst.ini [") + kDriverSection + "]";

std::string set_driver_keys(const char* arguments) {
  Attributes settings = parse_attributes(arguments);
  if (settings.empty()) {
    throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                     "no settings given: pass key=value pairs such as LogLevel=info");
  }
  refuse_foreign_keys(settings);
  for (Attribute& a : settings) a.key = canonical_key(a.key);

  Attributes given;
  for (const Attribute& a : settings) {
    if (!a.value.empty()) given.push_back(a);
  }
  SettingsCheck check;
  check.add_level(given, ConfigSource::DriverSection, "the ConfigDriver arguments");
  check.add_level(without_keys(system_ini().driver_section(kDriverSection), settings),
                  ConfigSource::DriverSection, kWhere);
  check.check_values();
  check.check_target("", false);

  std::string written;
  for (const Attribute& a : settings) {
    // An empty value removes the key, which then takes its default.
    const char* value = a.value.empty() ? nullptr : a.value.c_str();
    if (!SQLWritePrivateProfileString(kDriverSection, a.key.c_str(), value, "ODBCINST.INI")) {
      throw SetupError(ODBC_ERROR_WRITING_SYSINFO_FAILED,
                       "cannot write " + a.key + " to " + kWhere +
                           (written.empty() ? std::string() : " (after writing" + written + ")"),
                       !written.empty());
    }
    written += " " + a.key;
  }
  return "updated in " + kWhere + ":" + written;
}

}  // namespace

std::string configure_driver(WORD request, const char* arguments) {
  switch (request) {
    case ODBC_INSTALL_DRIVER:
    case ODBC_REMOVE_DRIVER:
      return {};
    case ODBC_CONFIG_DRIVER:
      return set_driver_keys(arguments);
    default:
      throw SetupError(ODBC_ERROR_INVALID_REQUEST_TYPE,
                       "request " + std::to_string(request) +
                           " is not one ConfigDriver serves (install, remove or configure)");
  }
}

}  // namespace odbcpool::setup
