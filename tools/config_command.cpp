// odbcpool config: the settings a connect through a DSN (or a DSN-less
// connection string) gets, where each one came from, and the target behind
// it, validated exactly as a connect validates them.
#include <dlfcn.h>

#include <iostream>

#include "cli_arguments.h"
#include "commands.h"
#include "config_review.h"
#include "connect_config.h"
#include "driver_choice.h"
#include "errors.h"
#include "host_limit.h"
#include "ini_reader.h"
#include "json_value.h"
#include "metrics_discovery.h"
#include "secret_masking.h"
#include "setting_keys.h"
#include "settings.h"
#include "target_argument.h"
#include "target_library.h"
#include "text_table.h"

namespace odbcpool::cli {

const char* const kConfigHelp = R"(usage: odbcpool config [--json] DSN
       odbcpool config [--json] --connection-string "DRIVER={odbcpool};TargetDSN=...;..."

Prints every odbcpool setting a connect through DSN gets: its effective value
and where it came from (the connection string, the DSN's section in odbc.ini,
the [odbcpool] section of odbcinst.ini, or the built-in default). Then the
target behind it: TargetDSN or TargetDriver, the driver library it resolves
to (loaded, as a connect would) and the connection string odbcpool passes
on. Passwords (PWD, Password and any key containing "pwd" or "password")
are shown as ***.

Values are checked exactly as a connect checks them: a value that does not
parse is an error naming the key, the value, what is accepted and where it
came from. Unknown keys beginning with Pool are warned about (a typo is
ignored by a connect too), and so is the Driver Manager's own pooling
([ODBC] Pooling=Yes in odbcinst.ini).

options:
  --connection-string STRING  a DSN-less connection string instead of a DSN
  --json                      print the same as JSON (settings, target,
                              warnings, errors, usable)
  -h, --help                  this text

exit status: 0 when the configuration is usable, 1 when it is not, 2 for a
usage error.
)";

namespace {

const char* const kCommand = "odbcpool config";

std::string shown_setting(const KeyInfo& key, const ConfigValue* value) {
  if (value == nullptr) return *key.default_value != '\0' ? key.default_value : "(none)";
  if (value->value.empty()) return "(empty)";
  return shown_value(key.name, value->value);
}

std::string shown_source(const ConfigValue* value) {
  if (value == nullptr) return "default";
  if (value->source == ConfigSource::ConnectionString) return "connection string";
  return value->where;
}

void print_settings(const ConnectConfig& config) {
  TextTable table;
  table.add_column("KEY");
  table.add_column("VALUE");
  table.add_column("SOURCE");
  for (const KeyInfo& key : setting_keys()) {
    const ConfigValue* value = config.find(to_lower(key.name));
    if (key.kind == KeyKind::Target && value == nullptr) continue;
    table.add_row({key.name, shown_setting(key, value), shown_source(value)});
  }
  std::cout << "Settings\n" << table.render(TextTable::Style::Plain, 2);
}

// The file a loaded library really is (a bare name is found by dlopen).
std::string loaded_file(const TargetLibrary& library) {
  Dl_info info{};
  const void* symbol = reinterpret_cast<const void*>(library.fn().SQLAllocHandle);
  if (symbol != nullptr && dladdr(symbol, &info) != 0 && info.dli_fname != nullptr) {
    return info.dli_fname;
  }
  return library.path();
}

std::string section_text(const IniSection& section) {
  std::string text;
  for (const auto& [key, value] : section) {
    if (!text.empty()) text += "; ";
    text += key + "=" + shown_value(key, value);
  }
  return text;
}

struct TargetRows {
  std::vector<std::pair<std::string, std::string>> rows;  // label, value
  std::string error;  // when the target library cannot be loaded
};

TargetRows describe_target(const ConnectConfig& config, IniReader& ini) {
  TargetRows t;
  t.rows.emplace_back("target", config.target_description);
  try {
    const TargetLibrary& library = TargetLibrary::load(config.target_library);
    const std::string file = loaded_file(library);
    t.rows.emplace_back("library", file == config.target_library
                                       ? file
                                       : config.target_library + " (" + file + ")");
  } catch (const OdbcError& e) {
    t.rows.emplace_back("library", config.target_library + " (cannot be loaded)");
    t.error = "[" + e.sqlstate() + "] " + e.what();
  }
  t.rows.emplace_back("connection string", masked_text(config.target_string));
  try {
    const PoolSettings settings = parse_settings(config);
    if (settings.host_max_size > 0) {
      t.rows.emplace_back("host slots", "at most " + std::to_string(settings.host_max_size) +
                                            " connections on this host, in " +
                                            host_slot_directory(settings, false));
    }
  } catch (const OdbcError& e) {
    // A bad value is the review's to report; a directory problem is ours.
    if (std::string(e.what()).find("host slots") != std::string::npos ||
        std::string(e.what()).find("PoolHostDir") != std::string::npos) {
      t.rows.emplace_back("host slots", std::string("cannot be used: ") + e.what());
    }
  }
  if (const ConfigValue* dsn = config.find("targetdsn")) {
    t.rows.emplace_back("odbc.ini [" + dsn->value + "]", section_text(ini.dsn_section(dsn->value)));
  }
  return t;
}

void print_target(const TargetRows& target) {
  TextTable table;
  table.add_column("");
  table.add_column("");
  for (const auto& [label, value] : target.rows) table.add_row({label, value});
  std::string rendered = table.render(TextTable::Style::Plain, 2);
  // The header line of a table without titles is blank.
  rendered.erase(0, rendered.find('\n') + 1);
  std::cout << "\nTarget\n" << rendered;
}

JsonValue string_array(const std::vector<std::string>& lines) {
  JsonValue array = JsonValue::array();
  for (const std::string& line : lines) array.push(line);
  return array;
}

JsonValue config_json(const TargetArgument& target, const ConnectConfig* config,
                      const TargetRows* rows, const ConfigReview& review) {
  JsonValue out = JsonValue::object();
  out.set("target", target.label);
  JsonValue settings = JsonValue::array();
  if (config != nullptr) {
    for (const KeyInfo& key : setting_keys()) {
      const ConfigValue* value = config->find(to_lower(key.name));
      if (key.kind == KeyKind::Target && value == nullptr) continue;
      settings.push(JsonValue::object()
                        .set("key", key.name)
                        .set("value", shown_setting(key, value))
                        .set("source", shown_source(value)));
    }
  }
  out.set("settings", std::move(settings));
  JsonValue described = JsonValue::object();
  if (rows != nullptr) {
    for (const auto& [label, value] : rows->rows) described.set(label, value);
  }
  out.set("target_driver", std::move(described));
  out.set("warnings", string_array(review.warnings));
  out.set("errors", string_array(review.errors));
  out.set("usable", review.errors.empty());
  return out;
}

void print_list(const char* title, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::cout << '\n' << title << '\n';
  for (const std::string& line : lines) std::cout << "  - " << line << '\n';
}

// "; did you mean 'orders'?" when the DSN the command was given does not
// exist and one of a similar name does.
std::string did_you_mean(const TargetArgument& target, const OdbcError& e) {
  const std::string* dsn = target.app.find("DSN");
  if (dsn == nullptr || e.sqlstate() != "IM002") return {};
  const std::vector<std::string> near = similar_dsn_names(*dsn);
  if (near.empty() || near.front() == *dsn) return {};
  return "; did you mean '" + near.front() + "'?";
}

int config(const TargetArgument& target, bool json) {
  IniReader& ini = system_ini();
  const DriverChoice driver = driver_for(target.app, ini);
  if (!driver.driver.empty() && !driver.is_odbcpool) {
    std::cerr << kCommand << ": " << target.label << " does not use odbcpool: its driver is '"
              << driver.driver << "' (" << driver.where << ")\n";
    return kExitFailure;
  }

  ConnectConfig config;
  try {
    config = resolve_connect(target.app, ini);
  } catch (const OdbcError& e) {
    const std::string error =
        "[" + e.sqlstate() + "] " + scrub(e.what(), target.secrets) + did_you_mean(target, e);
    if (json) {
      ConfigReview review;
      review.errors.push_back(error);
      std::cout << config_json(target, nullptr, nullptr, review).dump() << '\n';
    }
    std::cerr << kCommand << ": " << target.label << ": " << error << '\n';
    return kExitFailure;
  }

  const TargetRows rows = describe_target(config, ini);
  ConfigReview review = review_config(config, ini);
  if (!rows.error.empty()) review.errors.push_back(rows.error);
  if (std::string w = library_name_warning(driver); !w.empty()) review.warnings.push_back(w);
  for (std::string& line : review.errors) line = scrub(line, target.secrets);
  for (std::string& line : review.warnings) line = scrub(line, target.secrets);

  if (json) {
    std::cout << config_json(target, &config, &rows, review).dump() << '\n';
  } else {
    std::cout << "odbcpool configuration of " << target.label << "\n\n";
    print_settings(config);
    print_target(rows);
    print_list("Warnings", review.warnings);
    print_list("Errors", review.errors);
  }
  if (!review.errors.empty()) {
    for (const std::string& line : review.errors) std::cerr << kCommand << ": " << line << '\n';
    if (!json) {
      std::cout << "\nA connect through " << target.label << " fails: fix the errors above.\n";
    }
    return kExitFailure;
  }
  if (!json) std::cout << "\nThe configuration is usable.\n";
  return kExitOk;
}

}  // namespace

int run_config(const std::vector<std::string>& args) {
  return run_subcommand(args, {{"connection-string", true}, {"json", false}, {"help", false}},
                        kCommand, kConfigHelp, [](const Arguments& parsed) {
                          return config(target_from(parsed, kCommand), parsed.has("json"));
                        });
}

}  // namespace odbcpool::cli
