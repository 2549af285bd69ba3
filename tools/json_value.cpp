#include "json_value.h"

#include <cmath>
#include <cstdio>

namespace odbcpool::cli {

JsonValue::JsonValue(const char* text) : kind_(Kind::String), text_(text) {}
JsonValue::JsonValue(std::string text) : kind_(Kind::String), text_(std::move(text)) {}
JsonValue::JsonValue(bool flag) : kind_(Kind::Bool), flag_(flag) {}

JsonValue::JsonValue(double number) {
  if (!std::isfinite(number)) return;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", number);
  kind_ = Kind::Number;
  text_ = buffer;
}

JsonValue::JsonValue(std::uint64_t number) : kind_(Kind::Number), text_(std::to_string(number)) {}
JsonValue::JsonValue(std::int64_t number) : kind_(Kind::Number), text_(std::to_string(number)) {}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind_ = Kind::Object;
  return v;
}

JsonValue JsonValue::array() {
  JsonValue v;
  v.kind_ = Kind::Array;
  return v;
}

JsonValue& JsonValue::set(std::string key, JsonValue value) {
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

JsonValue& JsonValue::push(JsonValue value) {
  items_.push_back(std::move(value));
  return *this;
}

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string JsonValue::dump() const {
  std::string out;
  write(out, 0);
  return out;
}

void JsonValue::write(std::string& out, int depth) const {
  const std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string outer(static_cast<std::size_t>(depth) * 2, ' ');
  switch (kind_) {
    case Kind::Null:
      out += "null";
      return;
    case Kind::Bool:
      out += flag_ ? "true" : "false";
      return;
    case Kind::Number:
      out += text_;
      return;
    case Kind::String:
      out += json_quote(text_);
      return;
    case Kind::Array:
      if (items_.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < items_.size(); ++i) {
        out += inner;
        items_[i].write(out, depth + 1);
        out += i + 1 < items_.size() ? ",\n" : "\n";
      }
      out += outer + "]";
      return;
    case Kind::Object:
      if (members_.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (std::size_t i = 0; i < members_.size(); ++i) {
        out += inner + json_quote(members_[i].first) + ": ";
        members_[i].second.write(out, depth + 1);
        out += i + 1 < members_.size() ? ",\n" : "\n";
      }
      out += outer + "}";
      return;
  }
}

}  // namespace odbcpool::cli
