#include "metrics_discovery.h"

#include <glob.h>
#include <odbcinst.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "connect_config.h"
#include "edit_distance.h"
#include "ini_files.h"

namespace odbcpool::cli {

std::vector<std::string> similar_dsn_names(const std::string& name) {
  std::vector<std::pair<std::size_t, std::string>> near;
  for (std::string& dsn : configured_dsn_names()) {
    const std::size_t d = edit_distance(name, dsn);
    if (d <= 2 && d < name.size()) near.emplace_back(d, std::move(dsn));
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto& [d, dsn] : near) names.push_back(std::move(dsn));
  return names;
}

namespace {

// The literal pieces between the %p of a pattern.
std::vector<std::string> literal_parts(const std::string& pattern) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 'p') {
      parts.emplace_back();
      ++i;
    } else {
      parts.back() += pattern[i];
    }
  }
  return parts;
}

std::string glob_escaped(const std::string& literal) {
  std::string out;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The pid when `path` is the pattern with the same digits at every %p.
std::optional<long> match_pid(const std::string& path, const std::vector<std::string>& parts) {
  if (parts.size() < 2) return std::nullopt;
  std::size_t pos = 0;
  std::string pid;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (path.compare(pos, parts[i].size(), parts[i]) != 0) return std::nullopt;
    pos += parts[i].size();
    if (i + 1 == parts.size()) break;
    const std::size_t digits_end = path.find_first_not_of("0123456789", pos);
    const std::size_t end = digits_end == std::string::npos ? path.size() : digits_end;
    const std::string digits = path.substr(pos, end - pos);
    if (digits.empty() || digits.size() > 9 || (!pid.empty() && digits != pid)) {
      return std::nullopt;
    }
    pid = digits;
    pos = end;
  }
  if (pos != path.size()) return std::nullopt;
  return std::stol(pid);
}

}  // namespace

std::vector<MetricsPattern> configured_metrics_patterns(IniReader& ini) {
  std::vector<MetricsPattern> patterns;
  const auto add = [&](const IniSection& section, const std::string& where) {
    const std::string* value = find_value(section, "MetricsFile");
    if (value == nullptr || trim(*value).empty()) return;
    const std::string pattern = std::string(trim(*value));
    const bool seen = std::any_of(patterns.begin(), patterns.end(),
                                  [&](const MetricsPattern& p) { return p.pattern == pattern; });
    if (!seen) patterns.push_back({pattern, where});
  };
  add(ini.driver_section(kDriverSection), std::string("odbcinst.ini [") + kDriverSection + "]");
  for (const std::string& dsn : configured_dsn_names())
    add(ini.dsn_section(dsn), "odbc.ini [" + dsn + "]");
  return patterns;
}

std::vector<MetricsFileRef> files_matching(const std::string& pattern) {
  const std::vector<std::string> parts = literal_parts(pattern);
  std::string expression;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) expression += '*';
    expression += glob_escaped(parts[i]);
  }
  std::vector<MetricsFileRef> files;
  glob_t found{};
  if (::glob(expression.c_str(), 0, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      const std::string path = found.gl_pathv[i];
      if (parts.size() == 1) {
        files.push_back({path, std::nullopt});
      } else if (auto pid = match_pid(path, parts)) {
        files.push_back({path, pid});
      }
    }
  }
  ::globfree(&found);
  return files;
}

std::vector<MetricsFileRef> files_in_directory(const std::string& directory,
                                               const std::vector<MetricsPattern>& patterns) {
  std::vector<MetricsFileRef> files;
  glob_t found{};
  if (::glob((glob_escaped(directory) + "/*.prom").c_str(), 0, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      const std::string path = found.gl_pathv[i];
      files.push_back({path, pid_in_path(path, patterns)});
    }
  }
  ::globfree(&found);
  return files;
}

std::optional<long> pid_in_path(const std::string& path,
                                const std::vector<MetricsPattern>& patterns) {
  for (const MetricsPattern& p : patterns) {
    if (auto pid = match_pid(path, literal_parts(p.pattern))) return pid;
  }
  return std::nullopt;
}

bool process_exists(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

}  // namespace odbcpool::cli
