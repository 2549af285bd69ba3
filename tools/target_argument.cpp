#include "target_argument.h"

#include <cstdlib>

#include "secret_masking.h"

namespace odbcpool::cli {

TargetArgument target_from(const Arguments& args, const std::string& command) {
  const std::string* text = args.value("connection-string");
  const auto& positional = args.positional();
  if (positional.size() > 1) {
    throw UsageError("one DSN expected, not " + std::to_string(positional.size()) +
                     " arguments (see " + command + " --help)");
  }
  if (text != nullptr && !positional.empty()) {
    throw UsageError("give a DSN or --connection-string, not both");
  }
  if (text == nullptr && positional.empty()) {
    throw UsageError("a DSN or --connection-string is needed (see " + command + " --help)");
  }

  TargetArgument target;
  if (text != nullptr) {
    try {
      target.app = ConnectionString::parse(*text);
    } catch (const ConnectionStringError& e) {
      throw UsageError(std::string("--connection-string: ") + e.what());
    }
    if (target.app.empty()) throw UsageError("--connection-string is empty");
  } else {
    if (positional.front().empty()) throw UsageError("the DSN is empty");
    target.app.set("DSN", positional.front());
  }

  if (const std::string* user = args.value("user")) target.app.set("UID", *user);
  if (const std::string* variable = args.value("password-env")) {
    const char* value = std::getenv(variable->c_str());
    if (value == nullptr) {
      throw UsageError("--password-env " + *variable + ": the variable is not set");
    }
    target.app.set("PWD", value);
  }
  if (const std::string* password = args.value("password")) {
    target.app.set("PWD", *password);
  }
  for (const auto& e : target.app.entries()) {
    if (is_secret_key(e.key) && !e.value.empty()) target.secrets.push_back(e.value);
  }
  target.label = text != nullptr ? "connection string " + masked_text(target.app)
                                 : "DSN " + positional.front();
  return target;
}

}  // namespace odbcpool::cli
