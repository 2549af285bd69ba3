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

#include "redaction.h"
#include "settings.h"

namespace odbcpool {

namespace {

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
  // Every logger replaced stays alive: callers of log() keep raw pointers.
  std::vector<std::shared_ptr<spdlog::logger>> retired;
  LogSettings settings;  // without the warnings, for rebuilding after fork
};

// Leaked on purpose: lines are logged from atexit handlers and late threads.
Current& current() {
  static auto* c = new Current();
  return *c;
}

void install(std::shared_ptr<spdlog::logger> logger) {
  Current& c = current();
  c.logger.store(logger.get(), std::memory_order_release);
  if (c.owner) c.retired.push_back(std::move(c.owner));
  c.owner = std::move(logger);
}

// A thread of the parent may have been in the middle of a line when the
// process forked: its sink's lock would stay taken in the child forever. The
// child gets fresh sinks (the file reopened for appending).
void rebuild_in_child() {
  if (!current().owner) return;  // never configured: the first log() will
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
  return made.get();
}

const char* validation_name(pool::Validation mode) {
  switch (mode) {
    case pool::Validation::Auto:
      return "auto";
    case pool::Validation::Query:
      return "query";
    case pool::Validation::DeadAttr:
      return "dead-attr";
    case pool::Validation::None:
      return "none";
  }
  return "auto";
}

}  // namespace

void logging_reset_in_child() noexcept {
  rebuild_in_child();
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
  return current().logger.load(std::memory_order_acquire);
}

std::string masked(const ConnectionString& connection_string) {
  return redact_secrets(connection_string.to_string());
}

std::string masked(std::string_view text) {
  return redact_secrets(text);
}

void log_pool_created(const std::string& pool_name, const ConnectConfig& config,
                      const PoolSettings& settings) {
  spdlog::logger* l = log();
  try {
    l->info(
        "pool '{}': created for {}: max {} connections, min idle {}, acquire timeout {}, idle "
        "timeout {}, max lifetime {}, validation {}{}",
        pool_name, masked(config.target_description), settings.pool.max_size,
        settings.pool.min_idle, format_duration(settings.pool.acquire_timeout),
        format_duration(settings.pool.idle_timeout), format_duration(settings.pool.max_lifetime),
        validation_name(settings.pool.validation),
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
