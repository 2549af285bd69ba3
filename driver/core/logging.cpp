#include "logging.h"

#include <pthread.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/syslog_sink.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <mutex>

#include "pool_log.h"
#include "settings.h"

namespace odbcpool {

namespace {

constexpr std::size_t kMaxLogFiles = 1000;

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool parse_level(const std::string& text, spdlog::level::level_enum& level) {
  const std::string l = to_lower(trim(text));
  static const std::pair<const char*, spdlog::level::level_enum> names[] = {
      {"trace", spdlog::level::trace},  {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},    {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"off", spdlog::level::off}};
  for (const auto& [name, value] : names) {
    if (l == name) {
      level = value;
      return true;
    }
  }
  return false;
}

// Digits, then at most one of k, M, G (either case), powers of 1024.
bool parse_size(const std::string& raw, std::uint64_t& size) {
  const std::string text = trim(raw);
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return false;
  std::uint64_t scale = 1;
  const std::string unit = trim(text.substr(digits));
  if (unit.size() > 1) return false;
  if (unit.size() == 1) {
    switch (std::tolower(static_cast<unsigned char>(unit[0]))) {
      case 'k':
        scale = 1024;
        break;
      case 'm':
        scale = 1024 * 1024;
        break;
      case 'g':
        scale = 1024 * 1024 * 1024;
        break;
      default:
        return false;
    }
  }
  size = std::stoull(text.substr(0, digits)) * scale;
  return true;
}

bool parse_file_count(const std::string& raw, std::size_t& count) {
  const std::string text = trim(raw);
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const std::size_t n = std::stoul(text);
  if (n < 1 || n > kMaxLogFiles) return false;
  count = n;
  return true;
}

// stderr with a lock of its own, unlike spdlog's console sinks, which share
// one process-wide lock: a logger rebuilt in a child after fork must not
// inherit a lock that a thread of the parent held.
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stderr);
    std::fflush(stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

std::shared_ptr<spdlog::sinks::sink> open_sink(const LogSettings& settings) {
  const std::string& target = settings.file;
  if (target.empty() || iequals(target, "stderr")) return std::make_shared<StderrSink>();
  if (iequals(target, "syslog")) {
    return std::make_shared<spdlog::sinks::syslog_sink_mt>("odbcpool", LOG_PID, LOG_USER, false);
  }
  if (settings.max_size > 0) {
    return std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        target, static_cast<std::size_t>(settings.max_size), settings.max_files);
  }
  return std::make_shared<spdlog::sinks::basic_file_sink_mt>(target);
}

struct Current {
  std::atomic<spdlog::logger*> logger{nullptr};
  std::shared_ptr<spdlog::logger> owner;
  LogSettings settings;  // without the warnings, for rebuilding after fork
};

// Leaked on purpose: lines are logged from atexit handlers and late threads.
Current& current() {
  static auto* c = new Current();
  return *c;
}

void install(std::shared_ptr<spdlog::logger> logger) {
  Current& c = current();
  pool::set_logger(logger);
  c.logger.store(logger.get(), std::memory_order_release);
  c.owner = std::move(logger);  // the old one is leaked inside pool_log's list, still valid
}

// A thread of the parent may have been in the middle of a line when the
// process forked: its sink's lock would stay taken in the child forever. The
// child gets fresh sinks (the file reopened for appending).
void rebuild_in_child() {
  try {
    LogSettings settings = current().settings;
    install(make_logger(settings));
  } catch (...) {
  }
}

spdlog::logger* configure_once() {
  std::shared_ptr<spdlog::logger> made;
  LogSettings settings;
  try {
    settings = parse_log_settings(system_ini().driver_section(kDriverSection),
                                  std::string("odbcinst.ini [") + kDriverSection + "]");
    made = make_logger(settings);
  } catch (...) {
    try {
      made = std::make_shared<spdlog::logger>("odbcpool", std::make_shared<StderrSink>());
      made->set_pattern(kLogPattern);
      made->set_level(spdlog::level::warn);
    } catch (...) {
      made = std::make_shared<spdlog::logger>("odbcpool");
    }
  }
  settings.warnings.clear();
  current().settings = settings;
  install(made);
  pthread_atfork(nullptr, nullptr, rebuild_in_child);
  return made.get();
}

std::shared_ptr<spdlog::logger> shared_log() {
  log();
  return current().owner;
}

// The pool core asks for the configured logger the first time it logs, which
// may be before anything here did.
const bool factory_registered = (pool::set_logger_factory(&shared_log), true);

const char* validation_name(ValidationMode mode) {
  switch (mode) {
    case ValidationMode::Auto:
      return "auto";
    case ValidationMode::Query:
      return "query";
    case ValidationMode::DeadAttr:
      return "dead-attr";
    case ValidationMode::None:
      return "none";
  }
  return "auto";
}

}  // namespace

LogSettings parse_log_settings(const IniSection& section, const std::string& where) {
  LogSettings s;
  if (const std::string* v = find_value(section, "LogLevel"); v != nullptr) {
    if (!parse_level(*v, s.level)) {
      s.warnings.push_back("invalid LogLevel '" + *v + "' in " + where +
                           ": expected trace, debug, info, warn, error or off; using warn");
    }
  }
  if (const std::string* v = find_value(section, "LogFile"); v != nullptr) {
    const std::string file = trim(*v);
    if (!file.empty()) s.file = file;
  }
  if (const std::string* v = find_value(section, "LogMaxSize"); v != nullptr) {
    if (!parse_size(*v, s.max_size)) {
      s.max_size = 0;
      s.warnings.push_back("invalid LogMaxSize '" + *v + "' in " + where +
                           ": expected a size in bytes with an optional k, M or G, 0 for "
                           "never; not rotating");
    }
  }
  if (const std::string* v = find_value(section, "LogMaxFiles"); v != nullptr) {
    if (!parse_file_count(*v, s.max_files)) {
      s.max_files = 5;
      s.warnings.push_back("invalid LogMaxFiles '" + *v + "' in " + where +
                           ": expected a whole number from 1 to 1000; using 5");
    }
  }
  return s;
}

std::shared_ptr<spdlog::logger> make_logger(const LogSettings& settings) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  std::vector<std::string> warnings = settings.warnings;
  try {
    sink = open_sink(settings);
  } catch (const std::exception& e) {
    sink = std::make_shared<StderrSink>();
    warnings.push_back("cannot open LogFile '" + settings.file + "' (" + e.what() +
                       "); logging to stderr");
  }
  auto logger = std::make_shared<spdlog::logger>("odbcpool", std::move(sink));
  // syslog stamps its own time and process id.
  logger->set_pattern(iequals(settings.file, "syslog") ? "[%t] %l: %v" : kLogPattern);
  logger->set_level(settings.level);
  // Every line reaches the file at once: tail -f shows it, a crash keeps it.
  logger->flush_on(spdlog::level::trace);
  for (const std::string& w : warnings) logger->warn("{}", w);
  return logger;
}

spdlog::logger* log() {
  static spdlog::logger* const first = configure_once();
  (void)first;
  (void)factory_registered;
  return current().logger.load(std::memory_order_acquire);
}

std::string masked(const ConnectionString& connection_string) {
  return pool::redact_secrets(connection_string.to_string());
}

std::string masked(std::string_view text) {
  return pool::redact_secrets(text);
}

void log_pool_created(const std::string& pool_name, const ConnectConfig& config,
                      const PoolSettings& settings) {
  spdlog::logger* l = log();
  try {
    l->info(
        "pool '{}': created for {}: max {} connections, min idle {}, acquire timeout {}, idle "
        "timeout {}, max lifetime {}, validation {}{}",
        pool_name, masked(config.target_description), settings.max_size, settings.min_idle,
        format_duration(settings.acquire_timeout), format_duration(settings.idle_timeout),
        format_duration(settings.max_lifetime), validation_name(settings.validation),
        settings.metrics_file.empty() ? std::string() : ", metrics in " + settings.metrics_file);
    for (const char* key : {"LogLevel", "LogFile", "LogMaxSize", "LogMaxFiles"}) {
      const ConfigValue* v = config.find(to_lower(key));
      if (v == nullptr || v->source == ConfigSource::DriverSection ||
          v->source == ConfigSource::Default) {
        continue;
      }
      l->warn(
          "pool '{}': {} = {} (from {}) is ignored: the log is set up once per process, from "
          "odbcinst.ini [{}]",
          pool_name, key, masked(v->value), v->where, kDriverSection);
    }
  } catch (...) {
  }
}

}  // namespace odbcpool
