// Secrets out of text that is about to be logged.
#pragma once

#include <string>
#include <string_view>

namespace odbcpool {

// `text` with the value of every key=value pair whose key names a secret
// (PWD, Password, ...Passwd, ...Secret, ...Token) replaced by "***": for
// error texts of target drivers, which may echo a connection string.
std::string redact_secrets(std::string_view text);
// redact_secrets(), on one line: target drivers end their messages with a
// newline, or put several lines in one.
std::string loggable(std::string_view text);

}  // namespace odbcpool
