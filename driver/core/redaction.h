// Secrets out of text that is about to be logged.
#pragma once

#include <string>
#include <string_view>

namespace odbcpool {

// Whether a connection string key names a secret: PWD, Password,
// ...Passwd, ...Secret, ...Token (any case).
bool is_secret_key(std::string_view key);

// `text` with the value of every key=value pair whose key names a secret
// (PWD, Password, ...Passwd, ...Secret, ...Token) replaced by "***": for
// error texts of target drivers, which may echo a connection string.
std::string redact_secrets(std::string_view text);
// redact_secrets(), on one line: target drivers end their messages with a
// newline, or put several lines in one.
std::string loggable(std::string_view text);

}  // namespace odbcpool
