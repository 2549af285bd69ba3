// The command line of one subcommand: options (--name, --name VALUE or
// --name=VALUE) and positional arguments. Anything not declared is a usage
// error, so a typo never silently changes what the command does.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace odbcpool::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  const char* name;  // without the leading dashes
  bool takes_value;
};

class Arguments {
 public:
  // Throws UsageError naming the option; `command` (e.g. "odbcpool check")
  // is named for where to find help.
  static Arguments parse(const std::vector<std::string>& args,
                         const std::vector<OptionSpec>& options, const std::string& command);

  bool has(const std::string& option) const { return values_.count(option) != 0; }
  // The last value given for an option, or nullptr.
  const std::string* value(const std::string& option) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// The frame of every subcommand: parses `args` against `options`, prints
// `help` for --help, else runs `body`; a UsageError is one line and exit 2,
// any other exception one line and exit 1.
int run_subcommand(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                   const char* command, const char* help,
                   const std::function<int(const Arguments&)>& body);

// "--count 5": a whole number within [min, max], else UsageError.
long parse_count_option(const Arguments& args, const std::string& option, long fallback, long min,
                        long max);

}  // namespace odbcpool::cli
