#include "attributes.h"

#include <odbcinst.h>

#include <cctype>
#include <string_view>

#include "connection_string.h"
#include "setup_error.h"
#include "unicode.h"

namespace odbcpool::setup {

namespace {

std::size_t wide_length(const SQLWCHAR* text) {
  std::size_t n = 0;
  while (text[n] != 0) ++n;
  return n;
}

std::string to_utf8(const SQLWCHAR* text, std::size_t length) {
  return odbcpool::to_utf8(WideView(reinterpret_cast<const char16_t*>(text), length));
}

}  // namespace

Attributes parse_attributes(const char* list) {
  Attributes out;
  if (list == nullptr) return out;
  for (const char* entry = list; *entry != '\0'; entry += std::string_view(entry).size() + 1) {
    const std::string_view text(entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                       "attribute '" + std::string(text) + "' is not of the form key=value");
    }
    Attribute a{std::string(trim(text.substr(0, eq))), std::string(trim(text.substr(eq + 1)))};
    if (a.key.empty()) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                       "attribute '" + std::string(text) + "' has no key before '='");
    }
    if (find_attribute(out, a.key) != nullptr) {
      throw SetupError(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                       "attribute " + a.key + " is given more than once");
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string wide_to_utf8(const SQLWCHAR* text) {
  return text == nullptr ? std::string() : to_utf8(text, wide_length(text));
}

std::string wide_list_to_utf8(const SQLWCHAR* list) {
  std::string out;
  if (list == nullptr) return out;
  for (const SQLWCHAR* entry = list; *entry != 0;) {
    const std::size_t n = wide_length(entry);
    out += to_utf8(entry, n);
    out.push_back('\0');
    entry += n + 1;
  }
  out.push_back('\0');
  return out;
}

const Attribute* find_attribute(const Attributes& attributes, const std::string& key) {
  for (const Attribute& a : attributes) {
    if (iequals(a.key, key)) return &a;
  }
  return nullptr;
}

}  // namespace odbcpool::setup
