// odbcpool check: connects through the Driver Manager twice, as an
// application would. The first connect of a new pool is physical, the
// second (after the first disconnected) must be a borrow of the same
// connection; the validation query runs on the borrowed one.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>

#include "cli_arguments.h"
#include "commands.h"
#include "connect_config.h"
#include "driver_choice.h"
#include "duration_text.h"
#include "errors.h"
#include "ini_reader.h"
#include "json_value.h"
#include "odbc_client.h"
#include "odbcpool/odbcpool.h"
#include "private_metrics_file.h"
#include "secret_masking.h"
#include "settings.h"
#include "target_argument.h"
#include "text_table.h"

namespace odbcpool::cli {

const char* const kCheckHelp =
    R"(usage: odbcpool check DSN [--user U] [--password P | --password-env VAR] [--count N] [--json]
       odbcpool check --connection-string "DRIVER={odbcpool};..." [...]

Connects through the unixODBC Driver Manager, in this process, twice: the
first connect of the new pool is a physical connect, the second (after the
first disconnected) borrows the pooled connection. Prints both times, runs
the validation query (PoolValidationQuery, by default SELECT 1) on the
borrowed connection and prints its result, and says whether the second
connect was really pooled: odbcpool answers ODBCPOOL_ATTR_POOLED, and the
pool's own metrics (written to a private temporary file) show whether it
reused the first physical connection. The password is never printed.

options:
  --connection-string STRING  a DSN-less connection string instead of a DSN
  --user U                    the user (UID), as SQLConnect would pass it
  --password P                the password (PWD); visible to other users in
                              the process list, prefer --password-env
  --password-env VAR          read the password from environment variable VAR
  --count N                   borrow N times after the physical connect
                              (default 1) and print min / median / max
  --json                      print the report as JSON (its lines, ok, and
                              the failed step and why)
  -h, --help                  this text

exit status: 0 when both connects and the query work and the second connect
was pooled; 1 otherwise, with the ODBC diagnostic (SQLSTATE and message);
2 for a usage error.
)";

namespace {

const char* const kCommand = "odbcpool check";
constexpr double kMetricsWaitSeconds = 3.0;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Plan {
  std::string connection_string;  // with the private metrics file
  std::string validation_query = "SELECT 1";
  bool through_odbcpool = false;
};

Plan plan_for(const TargetArgument& target, const PrivateMetricsFile& metrics) {
  Plan plan;
  ConnectionString app = target.app;
  IniReader& ini = system_ini();
  plan.through_odbcpool = driver_for(app, ini).is_odbcpool;
  try {
    // Errors here are left to the connect, which reports them as an
    // application would see them.
    const PoolSettings settings = parse_settings(resolve_connect(app, ini));
    plan.validation_query = settings.validation_query;
  } catch (const std::exception&) {
  }
  if (plan.through_odbcpool && !metrics.path().empty()) {
    app.set("MetricsFile", metrics.path());
    app.set("MetricsInterval", "100ms");
  }
  plan.connection_string = app.to_string();
  return plan;
}

struct Borrow {
  double seconds = 0;
  std::optional<SQLUINTEGER> pooled;
  std::vector<OdbcDiagnostic> pooled_unknown;  // why the attribute was not answered
};

class Report {
 public:
  explicit Report(bool json) : json_(json) {}
  void line(const std::string& what, const std::string& text) {
    table_.add_row({what, text});
    lines_.set(what, text);
  }
  bool json() const { return json_; }
  // The table (or, with --json, the whole report: how it ended included).
  void print(const std::string& target, const std::string& failed_step, const std::string& why) {
    if (json_) {
      JsonValue out = JsonValue::object();
      out.set("target", target).set("report", std::move(lines_));
      out.set("ok", failed_step.empty() && why.empty());
      out.set("failed", failed_step.empty() ? JsonValue() : JsonValue(failed_step));
      out.set("why", why.empty() ? JsonValue() : JsonValue(why));
      std::cout << out.dump() << '\n';
      return;
    }
    std::string rendered = table_.render(TextTable::Style::Plain, 2);
    rendered.erase(0, rendered.find('\n') + 1);
    std::cout << rendered;
  }

 private:
  bool json_;
  JsonValue lines_ = JsonValue::object();
  TextTable table_ = [] {
    TextTable t;
    t.add_column("");
    t.add_column("");
    return t;
  }();
};

Borrow connect_once(OdbcConnection& connection, const std::string& connection_string) {
  Borrow borrow;
  const Clock::time_point start = Clock::now();
  connection.connect(connection_string);
  borrow.seconds = seconds_since(start);
  borrow.pooled = connection.integer_attribute(ODBCPOOL_ATTR_POOLED, &borrow.pooled_unknown);
  return borrow;
}

std::string spread(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  const std::size_t n = seconds.size();
  const double median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
  return std::to_string(n) + ": min " + human_duration(seconds.front()) + ", median " +
         human_duration(median) + ", max " + human_duration(seconds.back());
}

// Returns the reason the pool is not working, or "".
std::string judge_pooling(const Borrow& second, const std::optional<PoolMetrics>& metrics,
                          std::uint64_t borrows, Report& report) {
  if (!second.pooled) {
    report.line("pooled", "no");
    return "the driver does not answer ODBCPOOL_ATTR_POOLED, so the connection is not odbcpool's "
           "(" +
           describe(second.pooled_unknown) + ")";
  }
  if (*second.pooled == 0) {
    report.line("pooled", "no (ODBCPOOL_ATTR_POOLED = 0)");
    return "pooling is off (Pooling=no): every connect is a physical connect";
  }
  report.line("pooled", "yes (ODBCPOOL_ATTR_POOLED = 1)");
  if (!metrics) {
    report.line("reuse", "not confirmed: the driver wrote no metrics within " +
                             human_duration(kMetricsWaitSeconds));
    return {};
  }
  const std::string counts = std::to_string(metrics->connects) + " physical connect" +
                             (metrics->connects == 1 ? "" : "s") + " for " +
                             std::to_string(metrics->borrows) + " borrows";
  if (metrics->connects >= borrows) {
    report.line("reuse", "none: " + counts);
    return "the pool opened a new physical connection for every connect (" + counts + ")";
  }
  report.line("reuse", counts + ": the second connect reused the first's connection");
  return {};
}

int check(const TargetArgument& target, long count, bool json) {
  const DriverChoice driver = driver_for(target.app, system_ini());
  if (!driver.driver.empty() && !driver.is_odbcpool) {
    std::cerr << kCommand << ": " << target.label << " does not use odbcpool: its driver is '"
              << driver.driver << "' (" << driver.where << ")\n";
    return kExitFailure;
  }
  PrivateMetricsFile metrics;
  const Plan plan = plan_for(target, metrics);
  if (!json) std::cout << "odbcpool check of " << target.label << "\n\n";
  Report report(json);
  std::string step = "the first (physical) connect";
  try {
    OdbcEnvironment env;
    Borrow first;
    {
      OdbcConnection connection(env);
      first = connect_once(connection, plan.connection_string);
      step = "the first disconnect";
      connection.disconnect();
    }
    report.line("physical connect",
                human_duration(first.seconds) + "  (the first connect of a new pool)");

    step = "the second (pooled) connect";
    OdbcConnection connection(env);
    const Borrow second = connect_once(connection, plan.connection_string);
    report.line("pooled borrow", human_duration(second.seconds));

    step = "the validation query " + plan.validation_query;
    const Clock::time_point start = Clock::now();
    const std::string value = connection.first_value(plan.validation_query);
    report.line("validation query", plan.validation_query + " -> " + value + "  (" +
                                        human_duration(seconds_since(start)) + ")");
    step = "the second disconnect";
    connection.disconnect();

    std::vector<double> borrow_times = {second.seconds};
    for (long i = 1; i < count; ++i) {
      step = "pooled connect " + std::to_string(i + 1);
      OdbcConnection again(env);
      borrow_times.push_back(connect_once(again, plan.connection_string).seconds);
      again.disconnect();
    }
    if (count > 1) report.line("pooled borrows", spread(borrow_times));

    const auto borrows = static_cast<std::uint64_t>(count) + 1;
    // Only a pooled connection has a pool whose metrics could be waited for.
    std::optional<PoolMetrics> pool;
    if (plan.through_odbcpool && second.pooled.value_or(0) == 1) {
      pool = metrics.wait_for_borrows(borrows, kMetricsWaitSeconds);
    }
    const std::string problem = scrub(judge_pooling(second, pool, borrows, report), target.secrets);
    report.print(target.label, problem.empty() ? "" : "pooling", problem);
    if (!problem.empty()) {
      // The reason once, where errors go; the report only says how it ended.
      if (!json) std::cout << "\nFAILED: " << target.label << " is not pooled\n" << std::flush;
      std::cerr << kCommand << ": " << target.label << " is not pooled: " << problem << '\n';
      return kExitFailure;
    }
    if (!json) {
      std::cout << "\nOK: " << target.label << " connects, and its connections are pooled.\n";
    }
    return kExitOk;
  } catch (const OdbcFailure& e) {
    const std::string why = scrub(describe(e.records()), target.secrets);
    report.print(target.label, step + " (" + e.what() + ")", why);
    if (!json) std::cout << "\nFAILED: " << step << " (" << e.what() << ")\n" << std::flush;
    std::cerr << kCommand << ": " << target.label << ": " << step << " failed: " << why << '\n';
    return kExitFailure;
  }
}

}  // namespace

int run_check(const std::vector<std::string>& args) {
  return run_subcommand(args,
                        {{"connection-string", true},
                         {"user", true},
                         {"password", true},
                         {"password-env", true},
                         {"count", true},
                         {"json", false},
                         {"help", false}},
                        kCommand, kCheckHelp, [](const Arguments& parsed) {
                          const long count = parse_count_option(parsed, "count", 1, 1, 100000);
                          return check(target_from(parsed, kCommand), count, parsed.has("json"));
                        });
}

}  // namespace odbcpool::cli
