// The ODBC connection-string grammar: key=value pairs separated by ';',
// values optionally in braces where '}}' stands for a literal '}'.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace odbcpool {

class ConnectionStringError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
// Without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim(std::string_view s);

class ConnectionString {
 public:
  struct Entry {
    std::string key;
    std::string value;
  };

  // Throws ConnectionStringError naming the offset and the problem.
  static ConnectionString parse(std::string_view text);

  // Serializes with braces wherever a value needs them, so that
  // parse(to_string()) gives back the same entries.
  std::string to_string() const;

  // The first occurrence wins, as the ODBC specification says.
  const std::string* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Replaces the value of an existing key in place, or appends.
  void set(std::string_view key, std::string_view value);
  // Appends only when the key is not there yet.
  void set_default(std::string_view key, std::string_view value);
  bool erase(std::string_view key);

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

// Whether a value must be written in braces to survive a round trip.
bool needs_braces(std::string_view value);

}  // namespace odbcpool
