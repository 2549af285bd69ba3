#include "dsn_setup.h"

#include <string>

#include "attributes.h"
#include "config_mode.h"
#include "connection_string.h"
#include "ini_reader.h"
#include "settings_check.h"
#include "setup_error.h"

namespace odbcpool::setup {

namespace {

// Written by SQLWriteDSNToIni or naming the DSN; never copied as a setting.
bool is_dsn_meta_key(const std::string& key) {
  return iequals(key, "DSN") || iequals(key, "Driver");
}

// A DSN's Driver is either the driver's name or its library path.
bool uses_driver(const IniSection& dsn, const std::string& driver) {
  const std::string* named = find_value(dsn, "Driver");
  if (named == nullptr) return false;
  if (iequals(*named, driver)) return true;
  const IniSection registration = system_ini().driver_section(driver);
  const std::string* library = find_value(registration, "Driver");
  return library != nullptr && !library->empty() && *named == *library;
}

std::string driver_of(const IniSection& dsn) {
  const std::string* named = find_value(dsn, "Driver");
  return named != nullptr ? *named : std::string("(none)");
}

// The DSN as it stands; refuses one that does not exist or is another
// driver's.
IniSection existing_dsn(const std::string& dsn, const std::string& driver) {
  IniSection section = system_ini().dsn_section(dsn);
  if (section.empty()) {
    throw SetupError(ODBC_ERROR_INVALID_DSN,
                     "data source '" + dsn + "' not found in " + dsn_files_in_mode());
  }
  if (!uses_driver(section, driver)) {
    throw SetupError(ODBC_ERROR_INVALID_DSN, "data source '" + dsn + "' uses driver '" +
                                                 driver_of(section) + "', not '" + driver + "'");
  }
  return section;
}

// The values to write: an empty value removes the key, so that it falls back
// to odbcinst.ini [odbcpool] or the default.
Attributes settings_of(const Attributes& attributes) {
  Attributes out;
  for (const Attribute& a : attributes) {
    if (!is_dsn_meta_key(a.key)) out.push_back({canonical_key(a.key), a.value});
  }
  return out;
}

Attributes without_empty(const Attributes& settings) {
  Attributes out;
  for (const Attribute& a : settings) {
    if (!a.value.empty()) out.push_back(a);
  }
  return out;
}

void check(const std::string& dsn, const Attributes& settings, const IniSection& stored) {
  SettingsCheck check;
  check.add_level(without_empty(settings), ConfigSource::DsnSection,
                  "the attributes for DSN '" + dsn + "'");
  check.add_level(without_keys(stored, settings), ConfigSource::DsnSection,
                  "odbc.ini [" + dsn + "]");
  check.add_level(system_ini().driver_section(kDriverSection), ConfigSource::DriverSection,
                  std::string("odbcinst.ini [") + kDriverSection + "]");
  check.check_values();
  check.check_target(dsn, true);
}

void write_settings(const std::string& dsn, const Attributes& settings) {
  std::string written;
  for (const Attribute& a : settings) {
    const char* value = a.value.empty() ? nullptr : a.value.c_str();
    if (!SQLWritePrivateProfileString(dsn.c_str(), a.key.c_str(), value, "ODBC.INI")) {
      throw SetupError(ODBC_ERROR_REQUEST_FAILED,
                       "cannot write " + a.key + " of DSN '" + dsn + "' to " + dsn_files_in_mode() +
                           (written.empty() ? std::string() : " (after writing" + written + ")"),
                       !written.empty());
    }
    written += " " + a.key;
  }
}

void add_dsn(const std::string& dsn, const std::string& driver, const Attributes& attributes) {
  refuse_unknown_pool_keys(attributes);
  const IniSection stored = system_ini().dsn_section(dsn);
  if (!stored.empty() && !uses_driver(stored, driver)) {
    throw SetupError(ODBC_ERROR_INVALID_DSN, "data source '" + dsn + "' already exists in " +
                                                 dsn_files_in_mode() + " with driver '" +
                                                 driver_of(stored) + "'; remove it first");
  }
  const Attributes settings = without_empty(settings_of(attributes));
  check(dsn, settings, {});
  if (!SQLWriteDSNToIni(dsn.c_str(), driver.c_str())) {
    throw SetupError(ODBC_ERROR_CREATE_DSN_FAILED,
                     "cannot write DSN '" + dsn + "' to " + dsn_files_in_mode());
  }
  try {
    write_settings(dsn, settings);
  } catch (const SetupError& e) {
    // Undo the half-written DSN.
    const bool undone = SQLWritePrivateProfileString(dsn.c_str(), nullptr, nullptr, "ODBC.INI");
    throw SetupError(e.code(), e.what(), !undone);
  }
}

void change_dsn(const std::string& dsn, const std::string& driver, const Attributes& attributes) {
  refuse_unknown_pool_keys(attributes);
  const IniSection stored = existing_dsn(dsn, driver);
  const Attributes settings = settings_of(attributes);
  check(dsn, settings, stored);
  write_settings(dsn, settings);
}

void remove_dsn(const std::string& dsn, const std::string& driver) {
  existing_dsn(dsn, driver);
  // Deleting the section through SQLWritePrivateProfileString rather than
  // SQLRemoveDSNFromIni: only the former clears libodbcinst's cache of
  // values read in the last second, which would otherwise still show the
  // removed DSN to this process.
  if (!SQLWritePrivateProfileString(dsn.c_str(), nullptr, nullptr, "ODBC.INI")) {
    throw SetupError(ODBC_ERROR_REMOVE_DSN_FAILED,
                     "cannot remove DSN '" + dsn + "' from " + dsn_files_in_mode());
  }
}

}  // namespace

void configure_dsn(WORD request, const char* driver_name, const char* attribute_list,
                   bool has_window) {
  bool system = false;
  switch (request) {
    case ODBC_ADD_SYS_DSN:
      request = ODBC_ADD_DSN;
      system = true;
      break;
    case ODBC_CONFIG_SYS_DSN:
      request = ODBC_CONFIG_DSN;
      system = true;
      break;
    case ODBC_REMOVE_SYS_DSN:
      request = ODBC_REMOVE_DSN;
      system = true;
      break;
    case ODBC_ADD_DSN:
    case ODBC_CONFIG_DSN:
    case ODBC_REMOVE_DSN:
      break;
    default:
      throw SetupError(ODBC_ERROR_INVALID_REQUEST_TYPE,
                       "request " + std::to_string(request) +
                           " is not one ConfigDSN serves (add, configure or remove a DSN, "
                           "user or system)");
  }
  if (driver_name == nullptr || *driver_name == '\0') {
    throw SetupError(ODBC_ERROR_INVALID_NAME, "no driver name given");
  }
  const std::string driver = driver_name;
  const Attributes attributes = parse_attributes(attribute_list);
  if (attributes.empty() && has_window) {
    throw SetupError(ODBC_ERROR_REQUEST_FAILED,
                     "odbcpool's setup library has no dialog: pass the DSN and its settings as "
                     "attributes (DSN=orders, TargetDSN=orders_direct, ...)");
  }
  const Attribute* dsn = find_attribute(attributes, "DSN");
  if (dsn == nullptr || dsn->value.empty()) {
    throw SetupError(ODBC_ERROR_INVALID_DSN, "no DSN attribute: name the data source (DSN=...)");
  }
  if (!SQLValidDSN(dsn->value.c_str())) {
    throw SetupError(ODBC_ERROR_INVALID_DSN,
                     "'" + dsn->value +
                         "' is not a valid data source name (at most 32 characters, none of "
                         "[]{}(),;?*=!@\\)");
  }

  ScopedConfigMode mode(system);
  switch (request) {
    case ODBC_ADD_DSN:
      add_dsn(dsn->value, driver, attributes);
      break;
    case ODBC_CONFIG_DSN:
      change_dsn(dsn->value, driver, attributes);
      break;
    default:
      remove_dsn(dsn->value, driver);
      break;
  }
}

}  // namespace odbcpool::setup
