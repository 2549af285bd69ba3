// The catalogue of odbcpool's own configuration keys: name, default, what is
// accepted and a line of help. The connect path uses it to tell our keys from
// the target's; the setup library and the odbcpool command describe and
// explain settings from it.
#pragma once

#include <string>
#include <vector>

namespace odbcpool {

enum class KeyKind { Target, Boolean, Count, Duration, Choice, Text, Log };

struct KeyInfo {
  const char* name;           // as documented, e.g. "PoolMaxSize"
  const char* default_value;  // as a user would write it; "" for none
  KeyKind kind;
  const char* accepted;  // what parses, for help and errors
  const char* help;      // one sentence
  // For KeyKind::Choice and Boolean, every accepted value; for Text, the
  // named values it also accepts besides free text (PoolResetStatement).
  std::vector<const char*> choices = {};
};

// In the order of DESIGN.md section 3.
const std::vector<KeyInfo>& setting_keys();

// Case-insensitive; nullptr for a key that is not ours.
const KeyInfo* find_setting_key(const std::string& name);

}  // namespace odbcpool
