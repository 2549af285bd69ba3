#include "cli_arguments.h"

#include <iostream>

#include <algorithm>

namespace odbcpool::cli {

namespace {

const OptionSpec* find_option(const std::vector<OptionSpec>& options, const std::string& name) {
  auto it = std::find_if(options.begin(), options.end(),
                         [&](const OptionSpec& o) { return name == o.name; });
  return it == options.end() ? nullptr : &*it;
}

}  // namespace

Arguments Arguments::parse(const std::vector<std::string>& args,
                           const std::vector<OptionSpec>& options, const std::string& command) {
  Arguments parsed;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      parsed.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h") {
      parsed.values_["help"] = "";
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) {
      throw UsageError("unknown option '" + arg + "' (see " + command + " --help)");
    }
    const std::size_t equals = arg.find('=');
    const std::string name =
        arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const OptionSpec* spec = find_option(options, name);
    if (spec == nullptr) {
      throw UsageError("unknown option '--" + name + "' (see " + command + " --help)");
    }
    if (!spec->takes_value) {
      if (equals != std::string::npos) {
        throw UsageError("option '--" + name + "' takes no value");
      }
      parsed.values_[name] = "";
    } else if (equals != std::string::npos) {
      parsed.values_[name] = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      parsed.values_[name] = args[++i];
    } else {
      throw UsageError("option '--" + name + "' needs a value");
    }
  }
  return parsed;
}

const std::string* Arguments::value(const std::string& option) const {
  auto it = values_.find(option);
  return it == values_.end() ? nullptr : &it->second;
}

long parse_count_option(const Arguments& args, const std::string& option, long fallback, long min,
                        long max) {
  const std::string* text = args.value(option);
  if (text == nullptr) return fallback;
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  if (text->empty() || text->size() > 9 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError("--" + option + " takes a whole number from " + range + ", not '" + *text +
                     "'");
  }
  const long n = std::stol(*text);
  if (n < min || n > max) {
    throw UsageError("--" + option + " takes a whole number from " + range + ", not '" + *text +
                     "'");
  }
  return n;
}

int run_subcommand(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
                   const char* command, const char* help,
                   const std::function<int(const Arguments&)>& body) {
  try {
    const Arguments parsed = Arguments::parse(args, options, command);
    if (parsed.has("help")) {
      std::cout << help;
      return kExitOk;
    }
    return body(parsed);
  } catch (const UsageError& e) {
    std::cerr << command << ": " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << command << ": " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace odbcpool::cli
