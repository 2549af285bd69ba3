#include "connection_string.h"

#include <algorithm>
#include <cctype>

#include "lengths.h"

namespace odbcpool {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

[[noreturn]] void fail(std::size_t offset, const std::string& what) {
  throw ConnectionStringError("malformed connection string at offset " + std::to_string(offset) +
                              ": " + what);
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

ConnectionString ConnectionString::parse(std::string_view text) {
  ConnectionString result;
  std::size_t pos = 0;
  const std::size_t n = text.size();
  while (pos < n) {
    // Skip empty pairs (";;") and whitespace between pairs.
    while (pos < n && (text[pos] == ';' || is_space(text[pos]))) ++pos;
    if (pos >= n) break;

    const std::size_t key_start = pos;
    while (pos < n && text[pos] != '=' && text[pos] != ';') {
      if (text[pos] == '{' || text[pos] == '}') fail(pos, "a key cannot contain braces");
      ++pos;
    }
    if (pos >= n || text[pos] != '=') {
      fail(key_start, "'" + shortened(trim(text.substr(key_start, pos - key_start)), 128) +
                          "' has no '=value'");
    }
    std::string_view key = trim(text.substr(key_start, pos - key_start));
    if (key.empty()) fail(key_start, "a value without a key");
    ++pos;  // '='

    while (pos < n && is_space(text[pos]) && text[pos] != ';') ++pos;
    std::string value;
    if (pos < n && text[pos] == '{') {
      const std::size_t brace = pos++;
      bool closed = false;
      while (pos < n) {
        if (text[pos] == '}') {
          if (pos + 1 < n && text[pos + 1] == '}') {
            value.push_back('}');
            pos += 2;
            continue;
          }
          closed = true;
          ++pos;
          break;
        }
        value.push_back(text[pos++]);
      }
      if (!closed) fail(brace, "the value of '" + shortened(key, 128) + "' has no closing '}'");
      while (pos < n && is_space(text[pos])) ++pos;
      if (pos < n && text[pos] != ';') {
        fail(pos, "unexpected text after the closing '}' of '" + shortened(key, 128) + "'");
      }
    } else {
      const std::size_t value_start = pos;
      while (pos < n && text[pos] != ';') ++pos;
      value = std::string(trim(text.substr(value_start, pos - value_start)));
    }
    if (!result.contains(key)) result.entries_.push_back({std::string(key), std::move(value)});
  }
  return result;
}

bool needs_braces(std::string_view value) {
  if (value.empty()) return false;
  if (is_space(value.front()) || is_space(value.back())) return true;
  return value.find_first_of(";{}=") != std::string_view::npos;
}

std::string ConnectionString::to_string() const {
  std::string out;
  for (const Entry& e : entries_) {
    out += e.key;
    out += '=';
    if (needs_braces(e.value)) {
      out += '{';
      for (char c : e.value) {
        out += c;
        if (c == '}') out += '}';
      }
      out += '}';
    } else {
      out += e.value;
    }
    out += ';';
  }
  return out;
}

const std::string* ConnectionString::find(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (iequals(e.key, key)) return &e.value;
  }
  return nullptr;
}

void ConnectionString::set(std::string_view key, std::string_view value) {
  for (Entry& e : entries_) {
    if (iequals(e.key, key)) {
      e.value = std::string(value);
      return;
    }
  }
  entries_.push_back({std::string(key), std::string(value)});
}

void ConnectionString::set_default(std::string_view key, std::string_view value) {
  if (!contains(key)) entries_.push_back({std::string(key), std::string(value)});
}

bool ConnectionString::erase(std::string_view key) {
  auto it = std::remove_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return iequals(e.key, key); });
  const bool found = it != entries_.end();
  entries_.erase(it, entries_.end());
  return found;
}

}  // namespace odbcpool
