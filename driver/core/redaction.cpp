#include "redaction.h"

#include <cctype>

namespace odbcpool {

namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

bool is_secret_key(std::string_view key) {
  std::string lower;
  for (char c : key) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* part) { return lower.find(part) != std::string::npos; };
  const bool ends_in_pwd = lower.size() >= 3 && lower.compare(lower.size() - 3, 3, "pwd") == 0;
  return ends_in_pwd || has("password") || has("passwd") || has("secret") || has("token");
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t eq = text.find('='); eq != std::string_view::npos; eq = text.find('=', eq + 1)) {
    if (eq < copied) continue;
    std::size_t key_end = eq;
    while (key_end > copied && text[key_end - 1] == ' ') --key_end;
    std::size_t key_begin = key_end;
    while (key_begin > copied && is_key_char(text[key_begin - 1])) --key_begin;
    if (key_begin == key_end || !is_secret_key(text.substr(key_begin, key_end - key_begin))) {
      continue;
    }
    std::size_t value = eq + 1;
    while (value < text.size() && text[value] == ' ') ++value;
    std::size_t end = value;
    if (end < text.size() && text[end] == '{') {
      // A braced value ends at a '}' that is not doubled; "}}" is a literal '}'.
      ++end;
      while (end < text.size()) {
        if (text[end] == '}') {
          if (end + 1 < text.size() && text[end + 1] == '}') {
            end += 2;
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
    } else {
      while (end < text.size() && text[end] != ';') ++end;
    }
    out.append(text.substr(copied, value - copied));
    out += "***";
    copied = end;
    eq = end == 0 ? 0 : end - 1;
  }
  out.append(text.substr(copied));
  return out;
}

std::string loggable(std::string_view text) {
  std::string out = redact_secrets(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace odbcpool
