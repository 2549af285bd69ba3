// A strict reader of the Prometheus text exposition format (0.0.4), for
// the tests: every problem it finds is listed in `errors`, so a test can
// assert that a file is well-formed and then read values from it.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace observability {

using Labels = std::map<std::string, std::string>;

struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> help;  // by family
  std::map<std::string, std::string> type;  // by family
  std::vector<Sample> samples;
  std::vector<std::string> errors;

  std::optional<double> value(const std::string& name, const Labels& labels) const {
    for (const auto& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nullopt;
  }
  // The pools' names, from the pool label of odbcpool_max_size.
  std::vector<std::string> pools() const {
    std::vector<std::string> names;
    for (const auto& s : samples) {
      if (s.name == "odbcpool_max_size") names.push_back(s.labels.at("pool"));
    }
    return names;
  }
};

namespace detail {

inline bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || c == ':' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

inline std::string family_of(const std::string& sample_name,
                             const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample_name.size() > s.size() &&
        sample_name.compare(sample_name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample_name.substr(0, sample_name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return sample_name;
}

inline bool parse_value(const std::string& text, double& value) {
  if (text == "+Inf" || text == "-Inf") {
    value = (text[0] == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "NaN") {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end != nullptr && *end == '\0';
}

// name{a="x",b="y"} value
inline bool parse_sample(const std::string& line, Sample& sample, std::string& problem) {
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = line.substr(0, i);
  if (!valid_name(sample.name)) {
    problem = "bad metric name";
    return false;
  }
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      std::size_t eq = line.find('=', i);
      if (eq == std::string::npos) {
        problem = "label without '='";
        return false;
      }
      const std::string key = line.substr(i, eq - i);
      if (!valid_name(key) || key.find(':') != std::string::npos) {
        problem = "bad label name '" + key + "'";
        return false;
      }
      if (eq + 1 >= line.size() || line[eq + 1] != '"') {
        problem = "label value not quoted";
        return false;
      }
      std::string value;
      std::size_t j = eq + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\') {
          if (j + 1 >= line.size()) break;
          const char next = line[++j];
          if (next == 'n') {
            value += '\n';
          } else if (next == '\\' || next == '"') {
            value += next;
          } else {
            problem = "bad escape in a label value";
            return false;
          }
        } else {
          value += line[j];
        }
      }
      if (j >= line.size()) {
        problem = "unterminated label value";
        return false;
      }
      if (sample.labels.count(key) != 0) {
        problem = "label '" + key + "' twice";
        return false;
      }
      sample.labels[key] = value;
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) {
      problem = "unterminated label set";
      return false;
    }
    ++i;  // '}'
  }
  if (i >= line.size() || line[i] != ' ') {
    problem = "no value";
    return false;
  }
  const std::string value_text = line.substr(i + 1);
  if (!parse_value(value_text, sample.value)) {
    problem = "bad value '" + value_text + "'";
    return false;
  }
  return true;
}

inline std::string series_key(const Sample& s) {
  std::string key = s.name + "{";
  for (const auto& [k, v] : s.labels) key += k + "=" + v + "\x1f";
  return key + "}";
}

}  // namespace detail

inline Exposition parse_prometheus(const std::string& text) {
  Exposition e;
  std::istringstream in(text);
  std::string line;
  std::map<std::string, bool> seen_series;
  std::map<std::string, bool> family_has_samples;
  int number = 0;
  if (!text.empty() && text.back() != '\n') e.errors.push_back("does not end in a newline");
  while (std::getline(in, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + " '" + line + "': ";
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, kind, name;
      words >> hash >> kind >> name;
      std::string rest;
      std::getline(words, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      if (kind == "HELP") {
        if (e.help.count(name) != 0) e.errors.push_back(where + "second HELP");
        e.help[name] = rest;
      } else if (kind == "TYPE") {
        if (e.type.count(name) != 0) e.errors.push_back(where + "second TYPE");
        if (family_has_samples[name]) e.errors.push_back(where + "TYPE after samples");
        if (rest != "counter" && rest != "gauge" && rest != "histogram" && rest != "summary" &&
            rest != "untyped") {
          e.errors.push_back(where + "unknown type");
        }
        e.type[name] = rest;
      }
      continue;
    }
    Sample s;
    std::string problem;
    if (!detail::parse_sample(line, s, problem)) {
      e.errors.push_back(where + problem);
      continue;
    }
    const std::string family = detail::family_of(s.name, e.type);
    if (e.type.count(family) == 0) e.errors.push_back(where + "sample before its TYPE");
    family_has_samples[family] = true;
    const std::string key = detail::series_key(s);
    if (seen_series[key]) e.errors.push_back(where + "duplicate series");
    seen_series[key] = true;
    e.samples.push_back(std::move(s));
  }
  // Histograms: cumulative buckets ending in +Inf, which equals _count.
  for (const auto& [family, type] : e.type) {
    if (type != "histogram") continue;
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // by other labels
    for (const auto& s : e.samples) {
      if (s.name != family + "_bucket") continue;
      Labels others = s.labels;
      double bound = 0;
      if (others.count("le") == 0 || !detail::parse_value(others["le"], bound)) {
        e.errors.push_back(family + ": bucket without a valid le");
        continue;
      }
      others.erase("le");
      buckets[detail::series_key({"", others, 0})].push_back({bound, s.value});
    }
    for (const auto& [labels, list] : buckets) {
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (list[i].first <= list[i - 1].first) e.errors.push_back(family + ": le not ascending");
        if (list[i].second < list[i - 1].second) e.errors.push_back(family + ": not cumulative");
      }
      if (list.empty() || !std::isinf(list.back().first)) {
        e.errors.push_back(family + ": no +Inf bucket");
      }
    }
    for (const auto& s : e.samples) {
      if (s.name != family + "_count") continue;
      Labels with_inf = s.labels;
      with_inf["le"] = "+Inf";
      const auto inf = e.value(family + "_bucket", with_inf);
      if (!inf || *inf != s.value) e.errors.push_back(family + ": +Inf bucket is not _count");
      if (!e.value(family + "_sum", s.labels)) e.errors.push_back(family + ": no _sum");
    }
  }
  return e;
}

}  // namespace observability
