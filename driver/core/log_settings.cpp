#include "log_settings.h"

#include <cctype>
#include <utility>

#include "connection_string.h"
#include "lengths.h"

namespace odbcpool {

namespace {

constexpr std::size_t kMaxLogFiles = 1000;

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
  const std::string text = std::string(trim(raw));
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15) return false;
  std::uint64_t scale = 1;
  const std::string unit = std::string(trim(text.substr(digits)));
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
  const std::string text = std::string(trim(raw));
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const std::size_t n = std::stoul(text);
  if (n < 1 || n > kMaxLogFiles) return false;
  count = n;
  return true;
}

}  // namespace

LogSettings parse_log_settings(const IniSection& section, const std::string& where) {
  LogSettings s;
  if (const std::string* v = find_value(section, "LogLevel"); v != nullptr) {
    if (!parse_level(*v, s.level)) {
      s.warnings.push_back("invalid LogLevel '" + shortened(*v) + "' in " + where +
                           ": expected trace, debug, info, warn, error or off; using warn");
    }
  }
  if (const std::string* v = find_value(section, "LogFile"); v != nullptr) {
    const std::string file = std::string(trim(*v));
    if (!file.empty()) s.file = file;
  }
  if (const std::string* v = find_value(section, "LogMaxSize"); v != nullptr) {
    if (!parse_size(*v, s.max_size)) {
      s.max_size = 0;
      s.warnings.push_back("invalid LogMaxSize '" + shortened(*v) + "' in " + where +
                           ": expected a size in bytes with an optional k, M or G, 0 for "
                           "never; not rotating");
    }
  }
  if (const std::string* v = find_value(section, "LogMaxFiles"); v != nullptr) {
    if (!parse_file_count(*v, s.max_files)) {
      s.max_files = 5;
      s.warnings.push_back("invalid LogMaxFiles '" + shortened(*v) + "' in " + where +
                           ": expected a whole number from 1 to 1000; using 5");
    }
  }
  return s;
}

}  // namespace odbcpool
