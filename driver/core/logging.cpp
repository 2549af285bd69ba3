#include "logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

#include <mutex>

#include "connection_string.h"
#include "ini_reader.h"
#include "pool_log.h"

namespace odbcpool {

namespace {

std::shared_ptr<spdlog::logger> make_logger() {
  const IniSection section = system_ini().driver_section("odbcpool");
  const std::string* level_text = find_value(section, "LogLevel");
  const std::string* file = find_value(section, "LogFile");

  std::shared_ptr<spdlog::logger> logger;
  std::string fallback_warning;
  const std::string target = file != nullptr ? *file : "stderr";
  try {
    if (iequals(target, "stderr") || target.empty()) {
      logger = std::make_shared<spdlog::logger>("odbcpool",
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else if (iequals(target, "syslog")) {
      logger = std::make_shared<spdlog::logger>(
          "odbcpool",
          std::make_shared<spdlog::sinks::syslog_sink_mt>("odbcpool", LOG_PID, LOG_USER, false));
    } else {
      logger = std::make_shared<spdlog::logger>(
          "odbcpool", std::make_shared<spdlog::sinks::basic_file_sink_mt>(target));
    }
  } catch (const std::exception& e) {
    logger = std::make_shared<spdlog::logger>("odbcpool",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    fallback_warning = "cannot open LogFile '" + target + "' (" + e.what() + "); logging to stderr";
  }
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e odbcpool[%P:%t] %l: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (level_text != nullptr) {
    const std::string l = to_lower(*level_text);
    if (l == "warn" || l == "warning") {
      level = spdlog::level::warn;
    } else if (l == "off") {
      level = spdlog::level::off;
    } else {
      level = spdlog::level::from_str(l);
      if (level == spdlog::level::off) {
        fallback_warning = "invalid LogLevel '" + *level_text +
                           "' in odbcinst.ini [odbcpool]: expected trace, debug, info, warn, "
                           "error or off; using warn";
        level = spdlog::level::warn;
      }
    }
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  if (!fallback_warning.empty()) logger->warn("{}", fallback_warning);
  return logger;
}

}  // namespace

std::shared_ptr<spdlog::logger> log() {
  // Leaked on purpose so it outlives every static destructor that may log.
  static auto* logger = new std::shared_ptr<spdlog::logger>([] {
    std::shared_ptr<spdlog::logger> made;
    try {
      made = make_logger();
    } catch (...) {
      made = std::make_shared<spdlog::logger>("odbcpool",
                                              std::make_shared<spdlog::sinks::null_sink_mt>());
    }
    pool::set_logger(made);
    return made;
  }());
  return *logger;
}

}  // namespace odbcpool
