#include "pool_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>

namespace odbcpool::pool {

namespace {

struct LoggerSlot {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger;
};

// Leaked on purpose: the maintainer thread may log while statics are destroyed.
LoggerSlot& slot() {
  static auto* s = new LoggerSlot();
  return *s;
}

std::shared_ptr<spdlog::logger> make_fallback() {
  auto fallback = std::make_shared<spdlog::logger>(
      "odbcpool", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  fallback->set_level(spdlog::level::warn);
  fallback->set_pattern("%Y-%m-%d %H:%M:%S.%e odbcpool[%P:%t] %l: %v");
  return fallback;
}

}  // namespace

void set_logger(std::shared_ptr<spdlog::logger> logger) noexcept {
  LoggerSlot& s = slot();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.logger = std::move(logger);
}

std::shared_ptr<spdlog::logger> logger() noexcept {
  LoggerSlot& s = slot();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.logger) return s.logger;
  try {
    if (auto registered = spdlog::get("odbcpool")) return registered;
    s.logger = make_fallback();
  } catch (...) {
    s.logger = std::make_shared<spdlog::logger>("odbcpool");  // no sinks: drops everything
  }
  return s.logger;
}

std::string describe(Duration d) {
  using std::chrono::duration_cast;
  const auto ms = duration_cast<std::chrono::milliseconds>(d).count();
  char text[48];
  if (ms < 1000) {
    if (ms == 0 && d.count() != 0) {
      std::snprintf(text, sizeof text, "%lldus",
                    static_cast<long long>(duration_cast<std::chrono::microseconds>(d).count()));
    } else {
      std::snprintf(text, sizeof text, "%lldms", static_cast<long long>(ms));
    }
  } else if (ms % 3600000 == 0) {
    std::snprintf(text, sizeof text, "%lldh", static_cast<long long>(ms / 3600000));
  } else if (ms % 60000 == 0) {
    std::snprintf(text, sizeof text, "%lldm", static_cast<long long>(ms / 60000));
  } else {
    std::snprintf(text, sizeof text, "%gs", static_cast<double>(ms) / 1000.0);
  }
  return text;
}

}  // namespace odbcpool::pool
