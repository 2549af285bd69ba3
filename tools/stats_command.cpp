// odbcpool stats: the pools of running processes, read from the metrics
// files they write (MetricsFile), one table per process like PgBouncer's
// SHOW POOLS, or JSON for machines.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli_arguments.h"
#include "commands.h"
#include "connect_config.h"
#include "duration_text.h"
#include "errors.h"
#include "host_limit.h"
#include "host_slots.h"
#include "ini_reader.h"
#include "json_value.h"
#include "metrics_discovery.h"
#include "pool_metrics.h"
#include "pools.h"
#include "prometheus_text.h"
#include "settings.h"
#include "text_table.h"

namespace odbcpool::cli {

const char* const kStatsHelp = R"(usage: odbcpool stats [--json] [PATH...]
       odbcpool stats [--json] --host DSN

Reads the metrics files that processes using odbcpool write (MetricsFile,
Prometheus text format) and prints one table per process and pool, like
PgBouncer's SHOW POOLS: pool, max, open, idle, in use, waiting, borrows,
timeouts, connects, connect errors, closes, leaks and the average wait of a
borrow.

Without PATH the files are found from the MetricsFile settings in the
[odbcpool] section of odbcinst.ini and in every DSN of odbc.ini, with %p
(the process id) matched as a wildcard. A MetricsFile set only in an
application's connection string is not found this way: name the file.
A process removes its file when it exits cleanly; a file whose process is
gone is marked "not running". The process is the one the file says wrote it
(its pid label), or the %p of its name for files of older drivers.

With --host, reads the host-wide slots of DSN's pools (PoolHostMaxSize)
directly from its PoolHostDir instead: the limit, the slots taken on this
host, the borrowers waiting for one, and which processes hold them. Any
user who may read the directory may look; nobody's slots are touched.

options:
  --host DSN   the host-wide usage of DSN's pools
  --json       print the same as JSON
  -h, --help   this text

exit status: 0 when every file was read, 1 when a file cannot be read or
does not parse (named with its line), or no MetricsFile is configured,
2 for a usage error.
)";

namespace {

const char* const kCommand = "odbcpool stats";

struct FileReport {
  std::string path;
  std::optional<long> pid;
  std::optional<double> age_seconds;  // since the file was last written
  std::vector<PoolMetrics> pools;
};

class StatsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws StatsError naming the file (and the line, for a format error).
// Returns nullopt for a discovered file that vanished before it was read:
// its process exited in between.
std::optional<FileReport> read_file(const MetricsFileRef& ref, bool discovered) {
  FileReport report{ref.path, ref.pid, std::nullopt, {}};
  std::ifstream in(ref.path, std::ios::binary);
  if (!in) {
    if (discovered && errno == ENOENT) return std::nullopt;
    throw StatsError(ref.path + ": cannot read: " + std::strerror(errno));
  }
  struct stat info {};
  if (::stat(ref.path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw StatsError(ref.path + ": is a directory, not a metrics file");
    report.age_seconds = std::difftime(std::time(nullptr), info.st_mtime);
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const std::vector<MetricSample> samples = parse_prometheus_text(text.str());
    report.pools = pools_from_samples(samples);
    // The writer knows its pid even when the file name does not say it.
    if (const std::optional<long> writer = writer_pid(samples)) report.pid = writer;
  } catch (const MetricsFormatError& e) {
    throw StatsError(ref.path + ":" + std::to_string(e.line()) +
                     ": not an odbcpool metrics file: " + e.what());
  }
  return report;
}

std::string process_text(const FileReport& f) {
  std::string text =
      f.pid ? "process " + std::to_string(*f.pid) + (process_exists(*f.pid) ? "" : " (not running)")
            : std::string("process unknown");
  text += ", " + f.path;
  if (f.age_seconds)
    text += ", written " + std::to_string(static_cast<long>(*f.age_seconds)) + "s ago";
  return text;
}

void print_table(const FileReport& f) {
  std::cout << process_text(f) << '\n';
  if (f.pools.empty()) {
    std::cout << "  (no pools)\n\n";
    return;
  }
  TextTable table;
  table.add_column("pool");
  for (const char* title : {"max", "open", "idle", "in use", "waiting", "borrows", "timeouts",
                            "connects", "connect errors", "closes", "leaks", "avg wait"}) {
    table.add_column(title, TextTable::Align::Right);
  }
  for (const PoolMetrics& p : f.pools) {
    const auto average = p.borrow_wait.average_seconds();
    // Only in a file put together from several processes' files.
    const bool other_process = p.pid && p.pid != f.pid;
    const std::string name =
        other_process ? p.pool + " (process " + std::to_string(*p.pid) + ")" : p.pool;
    table.add_row({name, std::to_string(p.max_size), std::to_string(p.open()),
                   std::to_string(p.idle), std::to_string(p.in_use), std::to_string(p.waiting),
                   std::to_string(p.borrows), std::to_string(p.acquire_timeouts),
                   std::to_string(p.connects), std::to_string(p.connect_errors),
                   std::to_string(p.closes()), std::to_string(p.leaks),
                   average ? human_duration(*average) : "-"});
  }
  std::cout << table.render(TextTable::Style::Grid) << '\n';
}

JsonValue duration_json(const DurationSummary& d) {
  JsonValue out = JsonValue::object();
  out.set("count", d.count).set("sum_seconds", d.sum_seconds);
  const auto average = d.average_seconds();
  out.set("average_seconds", average ? JsonValue(*average) : JsonValue());
  return out;
}

JsonValue pool_json(const PoolMetrics& p) {
  JsonValue closes = JsonValue::object();
  for (const auto& [reason, n] : p.closes_by_reason) closes.set(reason, n);
  JsonValue out = JsonValue::object();
  out.set("pool", p.pool)
      .set("pid", p.pid ? JsonValue(static_cast<std::int64_t>(*p.pid)) : JsonValue())
      .set("max_size", p.max_size)
      .set("min_idle", p.min_idle)
      .set("open", p.open())
      .set("idle", p.idle)
      .set("in_use", p.in_use)
      .set("connecting", p.connecting)
      .set("waiting", p.waiting)
      .set("borrows", p.borrows)
      .set("acquire_timeouts", p.acquire_timeouts)
      .set("connects", p.connects)
      .set("connect_errors", p.connect_errors)
      .set("validations", p.validations)
      .set("validation_failures", p.validation_failures)
      .set("closes", p.closes())
      .set("closes_by_reason", std::move(closes))
      .set("leaks", p.leaks)
      .set("borrow_wait", duration_json(p.borrow_wait))
      .set("connect_time", duration_json(p.connect_time));
  return out;
}

JsonValue file_json(const FileReport& f) {
  JsonValue pools = JsonValue::array();
  for (const PoolMetrics& p : f.pools) pools.push(pool_json(p));
  JsonValue out = JsonValue::object();
  out.set("path", f.path)
      .set("pid", f.pid ? JsonValue(static_cast<std::int64_t>(*f.pid)) : JsonValue())
      .set("running", f.pid ? JsonValue(process_exists(*f.pid)) : JsonValue())
      .set("age_seconds", f.age_seconds ? JsonValue(*f.age_seconds) : JsonValue())
      .set("pools", std::move(pools));
  return out;
}

// "4242 x2, 4243": each holder once, with how many slots it holds.
std::string holders_text(const std::vector<pid_t>& holders) {
  std::string text;
  for (std::size_t i = 0; i < holders.size();) {
    std::size_t n = 1;
    while (i + n < holders.size() && holders[i + n] == holders[i]) ++n;
    if (!text.empty()) text += ", ";
    text += std::to_string(holders[i]) + (n > 1 ? " x" + std::to_string(n) : "");
    i += n;
  }
  return text.empty() ? "-" : text;
}

int host_stats(const std::string& dsn, bool json) {
  ConnectionString app;
  app.set("DSN", dsn);
  ConnectConfig config;
  PoolSettings settings;
  std::string dir;
  try {
    config = resolve_connect(app, system_ini());
    settings = parse_settings(config);
    if (settings.host_max_size != 0) dir = host_slot_directory(settings, false);
  } catch (const OdbcError& e) {
    std::cerr << kCommand << ": " << dsn << ": [" << e.sqlstate() << "] " << e.what() << '\n';
    return kExitFailure;
  }
  if (settings.host_max_size == 0) {
    if (json) {
      JsonValue out = JsonValue::object();
      out.set("dsn", dsn).set("configured_host_max_size", 0).set("pools", JsonValue::array());
      std::cout << out.dump() << '\n';
    } else {
      std::cout << dsn << " has no host limit (PoolHostMaxSize = 0)\n";
    }
    return kExitOk;
  }
  // The DSN's pools: one per user, each named "DSN" or "DSN (user)".
  const std::string name = pool_name(config);
  const std::string base = config.dsn.empty() ? name : config.dsn;
  std::vector<pool::HostSlotUsage> mine;
  for (pool::HostSlotUsage& u : pool::read_host_slot_usage(dir)) {
    if (u.description == base || u.description.rfind(base + " (", 0) == 0) {
      mine.push_back(std::move(u));
    }
  }
  if (json) {
    JsonValue pools = JsonValue::array();
    for (const pool::HostSlotUsage& u : mine) {
      JsonValue holders = JsonValue::array();
      for (pid_t pid : u.holders) holders.push(static_cast<std::int64_t>(pid));
      JsonValue one = JsonValue::object();
      one.set("pool", u.description)
          .set("file", u.file)
          .set("limit", u.limit)
          .set("taken", u.taken)
          .set("waiting", u.waiting)
          .set("holders", std::move(holders))
          .set("error", u.error.empty() ? JsonValue() : JsonValue(u.error));
      pools.push(std::move(one));
    }
    JsonValue out = JsonValue::object();
    out.set("dsn", dsn)
        .set("host_dir", dir)
        .set("configured_host_max_size", settings.host_max_size)
        .set("pools", std::move(pools));
    std::cout << out.dump() << '\n';
  } else {
    std::cout << "host slots of " << dsn << " in " << dir
              << " (PoolHostMaxSize = " << settings.host_max_size
              << (settings.host_max_size == 0 ? ": no host limit" : "") << ")\n";
    if (mine.empty()) {
      std::cout << "  (no process has used them)\n";
    } else {
      TextTable table;
      table.add_column("pool");
      for (const char* title : {"limit", "taken", "waiting"})
        table.add_column(title, TextTable::Align::Right);
      table.add_column("held by (pid)");
      for (const pool::HostSlotUsage& u : mine) {
        if (!u.error.empty()) {
          table.add_row({u.description, "-", "-", "-", u.file + ": " + u.error});
          continue;
        }
        table.add_row({u.description, std::to_string(u.limit), std::to_string(u.taken),
                       std::to_string(u.waiting), holders_text(u.holders)});
      }
      std::cout << table.render(TextTable::Style::Grid) << '\n';
    }
  }
  bool failed = false;
  for (const pool::HostSlotUsage& u : mine) {
    if (u.error.empty()) continue;
    std::cerr << kCommand << ": " << u.file << ": " << u.error << '\n';
    failed = true;
  }
  return failed ? kExitFailure : kExitOk;
}

int stats(const Arguments& args) {
  if (const std::string* dsn = args.value("host")) {
    if (!args.positional().empty()) throw UsageError("--host DSN reads no metrics files");
    return host_stats(*dsn, args.has("json"));
  }
  IniReader& ini = system_ini();
  const std::vector<MetricsPattern> patterns = configured_metrics_patterns(ini);
  std::vector<MetricsFileRef> refs;
  const bool discovered = args.positional().empty();
  if (discovered) {
    if (patterns.empty()) {
      std::cerr << kCommand << ": no MetricsFile is set in " << ini.driver_file()
                << " [odbcpool] or in any DSN of " << ini.dsn_files()
                << "; name the metrics files to read\n";
      return kExitFailure;
    }
    for (const MetricsPattern& p : patterns) {
      for (MetricsFileRef& ref : files_matching(p.pattern)) refs.push_back(std::move(ref));
    }
  } else {
    for (const std::string& path : args.positional()) {
      struct stat info {};
      if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        std::vector<MetricsFileRef> in_directory = files_in_directory(path, patterns);
        if (in_directory.empty()) {
          std::cerr << kCommand << ": " << path << ": no *.prom metrics file in this directory\n";
          return kExitFailure;
        }
        for (MetricsFileRef& ref : in_directory) refs.push_back(std::move(ref));
        continue;
      }
      refs.push_back({path, pid_in_path(path, patterns)});
    }
  }

  std::vector<FileReport> reports;
  std::vector<std::string> errors;
  for (const MetricsFileRef& ref : refs) {
    try {
      if (auto report = read_file(ref, discovered)) reports.push_back(std::move(*report));
    } catch (const StatsError& e) {
      errors.push_back(e.what());
    }
  }

  if (args.has("json")) {
    JsonValue files = JsonValue::array();
    for (const FileReport& f : reports) files.push(file_json(f));
    JsonValue problems = JsonValue::array();
    for (const std::string& e : errors) problems.push(e);
    JsonValue out = JsonValue::object();
    out.set("files", std::move(files)).set("errors", std::move(problems));
    std::cout << out.dump() << '\n';
  } else {
    for (const FileReport& f : reports) print_table(f);
    if (reports.empty() && errors.empty()) {
      std::cout << "no metrics files found (no running process reports to";
      for (const MetricsPattern& p : patterns) std::cout << ' ' << p.pattern;
      std::cout << ")\n";
    }
  }
  for (const std::string& e : errors) std::cerr << kCommand << ": " << e << '\n';
  return errors.empty() ? kExitOk : kExitFailure;
}

}  // namespace

int run_stats(const std::vector<std::string>& args) {
  return run_subcommand(args, {{"host", true}, {"json", false}, {"help", false}}, kCommand,
                        kStatsHelp, [](const Arguments& parsed) { return stats(parsed); });
}

}  // namespace odbcpool::cli
