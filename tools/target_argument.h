// What `config` and `check` are pointed at: a DSN, or a DSN-less
// connection string given with --connection-string, optionally with a user
// and password that override UID and PWD.
#pragma once

#include <string>
#include <vector>

#include "cli_arguments.h"
#include "connection_string.h"

namespace odbcpool::cli {

struct TargetArgument {
  ConnectionString app;  // what the application would pass to SQLDriverConnect
  std::string label;     // for headings: "DSN orders" or the masked connection string
  // Every secret value in `app` (PWD and the like), to scrub from messages.
  std::vector<std::string> secrets;
};

// Throws UsageError when neither or both of DSN and --connection-string are
// given, the connection string does not parse, or --password-env names an
// unset variable.
TargetArgument target_from(const Arguments& args, const std::string& command);

}  // namespace odbcpool::cli
