// Just enough JSON for `--json`: objects keep their keys in insertion
// order, numbers that are not finite become null, text is escaped per
// RFC 8259 (UTF-8 passes through).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace odbcpool::cli {

class JsonValue {
 public:
  JsonValue() = default;  // null
  JsonValue(const char* text);
  JsonValue(std::string text);
  JsonValue(bool flag);
  JsonValue(double number);
  JsonValue(std::uint64_t number);
  JsonValue(std::int64_t number);
  JsonValue(int number) : JsonValue(static_cast<std::int64_t>(number)) {}

  static JsonValue object();
  static JsonValue array();

  // For objects; returns *this so that calls chain.
  JsonValue& set(std::string key, JsonValue value);
  // For arrays.
  JsonValue& push(JsonValue value);

  // Pretty-printed with two-space indentation, no trailing newline.
  std::string dump() const;

 private:
  enum class Kind { Null, Bool, Number, String, Array, Object };
  void write(std::string& out, int depth) const;

  Kind kind_ = Kind::Null;
  bool flag_ = false;
  std::string text_;  // a String's text or a Number's digits
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

std::string json_quote(const std::string& text);

}  // namespace odbcpool::cli
