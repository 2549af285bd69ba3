// The subcommands of `odbcpool`. Each takes the arguments after its name
// and returns the process exit code (cli_arguments.h); none throws.
#pragma once

#include <string>
#include <vector>

namespace odbcpool::cli {

struct Command {
  const char* name;
  const char* summary;  // one line for `odbcpool --help`
  const char* help;     // the whole text of `odbcpool NAME --help`
  int (*run)(const std::vector<std::string>& args);
};

int run_config(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_stats(const std::vector<std::string>& args);

extern const char* const kConfigHelp;
extern const char* const kCheckHelp;
extern const char* const kStatsHelp;

const std::vector<Command>& commands();

}  // namespace odbcpool::cli
