// odbcpool: the command-line tool of the odbcpool driver. Dispatches to a
// subcommand; `odbcpool --help` lists them.
#include <iostream>
#include <string>
#include <vector>

#include "cli_arguments.h"
#include "commands.h"

#ifndef ODBCPOOL_VERSION
#define ODBCPOOL_VERSION "unknown"
#endif

namespace odbcpool::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"config", "the effective settings of a DSN and where each came from", kConfigHelp,
       run_config},
      {"check", "connect through the pool twice: physical connect versus pooled borrow", kCheckHelp,
       run_check},
      {"stats", "the pools of running processes, from their metrics files", kStatsHelp, run_stats},
  };
  return list;
}

namespace {

void print_help() {
  std::cout << "usage: odbcpool COMMAND [ARGS...]\n"
               "       odbcpool COMMAND --help\n\n"
               "The command-line tool of odbcpool, the connection-pooling ODBC driver.\n\n"
               "commands:\n";
  for (const Command& c : commands()) {
    std::cout << "  " << c.name << std::string(8 - std::string(c.name).size(), ' ') << c.summary
              << '\n';
  }
  std::cout << "\noptions:\n"
               "  -h, --help     this text\n"
               "  --version      the version of odbcpool\n\n"
               "It reads odbc.ini and odbcinst.ini as unixODBC finds them (ODBCSYSINI,\n"
               "ODBCINSTINI, ODBCINI).\n";
}

int dispatch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "odbcpool: a command is needed: config, check or stats (see odbcpool --help)\n";
    return kExitUsage;
  }
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    if (first == "help" && args.size() > 1) return dispatch({args[1], "--help"});
    print_help();
    return kExitOk;
  }
  if (first == "--version") {
    std::cout << "odbcpool " << ODBCPOOL_VERSION << '\n';
    return kExitOk;
  }
  for (const Command& c : commands()) {
    if (first == c.name) return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!first.empty() && first[0] == '-') {
    std::cerr << "odbcpool: unknown option '" << first << "' (see odbcpool --help)\n";
  } else {
    std::cerr << "odbcpool: unknown command '" << first
              << "': expected config, check or stats (see odbcpool --help)\n";
  }
  return kExitUsage;
}

}  // namespace

}  // namespace odbcpool::cli

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(true);
  return odbcpool::cli::dispatch(std::vector<std::string>(argv + 1, argv + argc));
}
