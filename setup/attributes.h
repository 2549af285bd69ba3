// The attribute lists of ConfigDSN and ConfigDriver: "key=value\0key=value\0\0",
// in the narrow (UTF-8) or wide (UTF-16) form.
#pragma once

#include <sqltypes.h>

#include <string>
#include <vector>

namespace odbcpool::setup {

struct Attribute {
  std::string key;
  std::string value;
};

using Attributes = std::vector<Attribute>;

// Keys and values are trimmed; a value may contain '='. Throws SetupError
// (ODBC_ERROR_INVALID_KEYWORD_VALUE) for an entry without '=' or a key that
// appears twice. A null list is empty.
Attributes parse_attributes(const char* list);

// The same list as UTF-8, for the wide entry points; null stays null.
std::string wide_list_to_utf8(const SQLWCHAR* list);
std::string wide_to_utf8(const SQLWCHAR* text);

// Case-insensitive; nullptr when absent.
const Attribute* find_attribute(const Attributes& attributes, const std::string& key);

}  // namespace odbcpool::setup
