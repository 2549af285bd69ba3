// The log and the metrics file after scripted workloads through the unixODBC
// Driver Manager against PostgreSQL, each in a process of its own with its
// own odbcinst.ini (see scenario.h), including failures: a wrong password, a
// bad configuration value, an exhausted pool, killed backends, a log file
// that cannot be opened. After every run no output file holds a password.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "prometheus_text.h"
#include "scenario.h"

namespace observability {
namespace {

const char* kDsns = R"(
[obs_pooled]
Driver          = odbcpool
TargetDSN       = pg_unicode_direct
PoolMaxSize     = 2
LogLevel        = error
MetricsFile     = @OUT@/metrics-%p.prom
MetricsInterval = 100ms

[obs_wait]
Driver             = odbcpool
TargetDSN          = pg_unicode_direct
PoolMaxSize        = 1
PoolAcquireTimeout = 20s
PoolLeakThreshold  = 300ms
MetricsFile        = @OUT@/metrics-%p.prom
MetricsInterval    = 100ms

[obs_tiny]
Driver             = odbcpool
TargetDSN          = pg_unicode_direct
PoolMaxSize        = 1
PoolAcquireTimeout = 0
MetricsFile        = @OUT@/metrics-%p.prom
MetricsInterval    = 100ms

[obs_validate]
Driver               = odbcpool
TargetDSN            = pg_unicode_direct
PoolMaxSize          = 2
PoolValidationBypass = 0
MetricsFile          = @OUT@/metrics-%p.prom
MetricsInterval      = 100ms
)";

const std::string kPooled = "obs_pooled (odbcpool)";

// Runs the workload and checks what every run must give: a clean exit, the
// metrics file gone, and no password in anything it wrote.
RunResult run_clean(Scenario& s, const std::string& workload) {
  RunResult r = s.run(workload);
  EXPECT_TRUE(r.exited && r.status == 0) << r.describe();
  const auto facts = s.facts();
  if (auto it = facts.find("metrics_file"); it != facts.end()) {
    EXPECT_FALSE(file_exists(it->second)) << it->second << " is still there after a clean exit";
  }
  // Every line of every log file, rotated ones too, has the pattern.
  const std::regex line("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} odbcpool\\[" +
                        std::to_string(r.pid) +
                        ":\\d+\\] (trace|debug|info|warning|error|critical): \\S.*");
  for (const auto& [path, text] : s.outputs()) {
    if (path.find("/odbcpool") == std::string::npos || path.find(".log") == std::string::npos) {
      continue;
    }
    for (const auto& l : grep(text, ""))
      EXPECT_TRUE(std::regex_match(l, line)) << path << ": " << l;
  }
  for (const char* secret : {kPassword, kWrongPassword}) {
    EXPECT_TRUE(s.lines_containing(secret).empty())
        << "a password in the output:\n"
        << ::testing::PrintToString(s.lines_containing(secret));
  }
  return r;
}

// Every series must carry the pid of the process that wrote it (processes
// share a textfile collector's directory); the label is then removed, so
// that values are looked up by their other labels.
Exposition metrics(const Scenario& s, const std::string& label, const RunResult& run) {
  const std::string text = read_file(s.out_file(label + ".prom"));
  Exposition e = parse_prometheus(text);
  EXPECT_FALSE(text.empty()) << label;
  EXPECT_TRUE(e.errors.empty()) << label << ": " << ::testing::PrintToString(e.errors) << "\n"
                                << text;
  for (auto& sample : e.samples) {
    EXPECT_EQ(sample.labels["pid"], std::to_string(run.pid)) << label << ": " << sample.name;
    sample.labels.erase("pid");
  }
  const auto writers = std::count_if(e.samples.begin(), e.samples.end(), [](const Sample& x) {
    return x.name == "odbcpool_metrics_writer_info" && x.value == 1;
  });
  EXPECT_EQ(writers, 1) << label;
  return e;
}

double value(const Exposition& e, const std::string& name, const std::string& pool,
             Labels more = {}) {
  more["pool"] = pool;
  const auto v = e.value(name, more);
  EXPECT_TRUE(v.has_value()) << name << ::testing::PrintToString(more);
  return v.value_or(-1);
}

double closes(const Exposition& e, const std::string& pool, const std::string& reason) {
  return value(e, "odbcpool_closes_total", pool, {{"reason", reason}});
}

TEST(ObservabilityPg, CyclesAreBorrowsOfOneConnectionAndEveryLineHasThePattern) {
  Scenario s("cycles", {"LogLevel = trace", "LogFile = @OUT@/odbcpool.log"}, kDsns);
  const RunResult r = run_clean(s, "cycles");

  const Exposition e = metrics(s, "after-cycles", r);
  EXPECT_EQ(e.pools(), std::vector<std::string>{kPooled});
  EXPECT_EQ(value(e, "odbcpool_borrows_total", kPooled), 25);
  EXPECT_EQ(value(e, "odbcpool_connects_total", kPooled), 1);
  EXPECT_EQ(value(e, "odbcpool_connect_errors_total", kPooled), 0);
  EXPECT_EQ(value(e, "odbcpool_acquire_timeouts_total", kPooled), 0);
  EXPECT_EQ(value(e, "odbcpool_connections", kPooled, {{"state", "idle"}}), 1);
  EXPECT_EQ(value(e, "odbcpool_connections", kPooled, {{"state", "in_use"}}), 0);
  EXPECT_EQ(value(e, "odbcpool_waiting", kPooled), 0);
  EXPECT_EQ(value(e, "odbcpool_max_size", kPooled), 2);
  EXPECT_EQ(value(e, "odbcpool_borrow_wait_seconds_count", kPooled), 25);
  EXPECT_EQ(value(e, "odbcpool_connect_seconds_count", kPooled), 1);
  for (const char* reason : {"idle_timeout", "lifetime", "validation_failed", "broken"}) {
    EXPECT_EQ(closes(e, kPooled, reason), 0) << reason;
  }

  const std::string log = read_file(s.out_file("odbcpool.log"));
  EXPECT_EQ(grep(log, "pool '" + kPooled + "': created for DSN pg_unicode_direct").size(), 1u)
      << log;
  EXPECT_EQ(grep(log, "pool '" + kPooled + "': lent a connection").size(), 25u);
  EXPECT_EQ(grep(log, "pool '" + kPooled + "': a connection was given back").size(), 25u);
  EXPECT_EQ(grep(log, "pool '" + kPooled + "': opened a connection in").size(), 1u);
  // The DSN's LogLevel cannot change a process-wide log, and says so.
  EXPECT_EQ(grep(log, "LogLevel = error (from odbc.ini [obs_pooled]) is ignored").size(), 1u)
      << log;
  EXPECT_GT(grep(log, "").size(), 50u);
}

TEST(ObservabilityPg, AnExhaustedPoolShowsWaitersTimeoutsSlowBorrowsAndLeaks) {
  Scenario s("exhausted", {"LogLevel = info", "LogFile = @OUT@/odbcpool.log"}, kDsns);
  const RunResult r = run_clean(s, "exhausted");
  auto facts = s.facts();
  EXPECT_EQ(facts["saw_waiting"], "yes");
  EXPECT_EQ(facts["waiter_error"], "");
  EXPECT_EQ(facts["tiny_second_connect"], "failed");
  EXPECT_EQ(facts["tiny_sqlstate"], "HYT01");

  const std::string wait_pool = "obs_wait (odbcpool)";
  const std::string tiny = "obs_tiny (odbcpool)";
  const Exposition waiting = metrics(s, "waiting", r);
  EXPECT_EQ(value(waiting, "odbcpool_waiting", wait_pool), 1);
  EXPECT_EQ(value(waiting, "odbcpool_connections", wait_pool, {{"state", "in_use"}}), 1);
  EXPECT_EQ(value(waiting, "odbcpool_connections", wait_pool, {{"state", "idle"}}), 0);

  const Exposition e = metrics(s, "after-exhausted", r);
  EXPECT_EQ(value(e, "odbcpool_borrows_total", wait_pool), 2);
  EXPECT_EQ(value(e, "odbcpool_connects_total", wait_pool), 1);
  EXPECT_EQ(value(e, "odbcpool_leaks_total", wait_pool), 1);
  EXPECT_EQ(value(e, "odbcpool_waiting", wait_pool), 0);
  // The waiter waited about 1.5 s; the first borrow was a connect.
  EXPECT_EQ(value(e, "odbcpool_borrow_wait_seconds_bucket", wait_pool, {{"le", "1"}}), 1);
  EXPECT_EQ(value(e, "odbcpool_borrow_wait_seconds_bucket", wait_pool, {{"le", "+Inf"}}), 2);
  EXPECT_EQ(value(e, "odbcpool_acquire_timeouts_total", tiny), 1);
  EXPECT_EQ(value(e, "odbcpool_borrows_total", tiny), 1);
  EXPECT_EQ(value(e, "odbcpool_acquire_timeouts_total", wait_pool), 0);

  const std::string log = read_file(s.out_file("odbcpool.log"));
  EXPECT_EQ(grep(log, "warning: no connection free in pool '" + tiny + "'").size(), 1u) << log;
  EXPECT_EQ(grep(log, "warning: pool '" + wait_pool + "': getting a connection took").size(), 1u)
      << log;
  const auto leaks = grep(log, "warning: pool '" + wait_pool + "': a connection borrowed by");
  ASSERT_EQ(leaks.size(), 1u) << log;
  EXPECT_NE(leaks[0].find("has been in use for"), std::string::npos) << leaks[0];
  EXPECT_NE(leaks[0].find("(leak threshold 300ms)"), std::string::npos) << leaks[0];
  // LogLevel = info: no debug lines.
  EXPECT_TRUE(grep(log, "lent a connection").empty()) << log;
}

TEST(ObservabilityPg, KilledBackendsAreAValidationFailureAndABrokenClose) {
  Scenario s("killed", {"LogLevel = info", "LogFile = @OUT@/odbcpool.log"}, kDsns);
  const RunResult r = run_clean(s, "killed");
  auto facts = s.facts();
  EXPECT_EQ(facts["new_backend_after_kill"], "yes");
  const std::string state = facts["in_use_kill_sqlstate"];
  EXPECT_TRUE(state.rfind("08", 0) == 0 || state == "57P01") << state;

  const std::string pool = "obs_validate (odbcpool)";
  const Exposition e = metrics(s, "after-killed", r);
  EXPECT_EQ(value(e, "odbcpool_borrows_total", pool), 3);
  EXPECT_EQ(value(e, "odbcpool_connects_total", pool), 2);
  EXPECT_EQ(value(e, "odbcpool_validations_total", pool), 2);
  EXPECT_EQ(value(e, "odbcpool_validation_failures_total", pool), 1);
  EXPECT_EQ(closes(e, pool, "validation_failed"), 1);
  EXPECT_EQ(closes(e, pool, "broken"), 1);
  EXPECT_EQ(closes(e, pool, "idle_timeout"), 0);
  EXPECT_EQ(value(e, "odbcpool_connections", pool, {{"state", "idle"}}), 0);
  EXPECT_EQ(value(e, "odbcpool_connections", pool, {{"state", "in_use"}}), 0);

  const std::string log = read_file(s.out_file("odbcpool.log"));
  EXPECT_EQ(grep(log, "info: pool '" + pool + "': closed a connection (validation_failed)").size(),
            1u)
      << log;
  EXPECT_EQ(grep(log, "info: pool '" + pool + "': closed a connection (broken)").size(), 1u) << log;
  EXPECT_FALSE(grep(log, "pool '" + pool + "': a connection failed (connection-class").empty())
      << log;
}

TEST(ObservabilityPg, FailuresAreLoggedAndCountedWithoutThePasswords) {
  Scenario s("failures",
             {"LogLevel = trace", "LogFile = @OUT@/odbcpool.log", "LogMaxSize = banana"}, kDsns);
  const RunResult r = run_clean(s, "failures");
  auto facts = s.facts();
  EXPECT_EQ(facts["wrong_password"], "failed");
  EXPECT_FALSE(facts["wrong_password_sqlstate"].empty());
  EXPECT_EQ(facts["bad_config"], "failed");
  EXPECT_EQ(facts["bad_config_sqlstate"], "HY000");
  EXPECT_EQ(facts["bad_config_names_key"], "yes");
  EXPECT_EQ(facts["typo"], "warned");

  // The wrong password made a pool of its own: the pool key holds the
  // credentials. Its label is the same name, so the later one is "#2".
  const Exposition e = metrics(s, "after-failures", r);
  EXPECT_EQ(e.pools(), (std::vector<std::string>{kPooled, kPooled + " #2"}));
  EXPECT_EQ(value(e, "odbcpool_connect_errors_total", kPooled), 1);
  EXPECT_EQ(value(e, "odbcpool_connects_total", kPooled), 0);
  EXPECT_EQ(value(e, "odbcpool_borrows_total", kPooled), 0);
  EXPECT_EQ(value(e, "odbcpool_borrows_total", kPooled + " #2"), 1);
  EXPECT_EQ(value(e, "odbcpool_connects_total", kPooled + " #2"), 1);

  const std::string log = read_file(s.out_file("odbcpool.log"));
  EXPECT_EQ(grep(log, "warning: invalid LogMaxSize 'banana' in odbcinst.ini [odbcpool]").size(), 1u)
      << log;
  EXPECT_EQ(grep(log, "warning: pool '" + kPooled + "': connect failed after").size(), 1u) << log;
  EXPECT_EQ(grep(log, "unknown odbcpool key 'PoolMaxSiz'").size(), 1u) << log;
}

TEST(ObservabilityPg, TheLogRotatesAtLogMaxSize) {
  Scenario s(
      "rotation",
      {"LogLevel = debug", "LogFile = @OUT@/odbcpool.log", "LogMaxSize = 4k", "LogMaxFiles = 2"},
      kDsns);
  run_clean(s, "rotation");
  namespace fs = std::filesystem;
  for (const char* name : {"odbcpool.log", "odbcpool.1.log", "odbcpool.2.log"}) {
    ASSERT_TRUE(file_exists(s.out_file(name))) << name;
    EXPECT_LE(fs::file_size(s.out_file(name)), 4096u) << name;
    EXPECT_FALSE(grep(read_file(s.out_file(name)), "pool '" + kPooled + "': lent").empty()) << name;
  }
  EXPECT_FALSE(file_exists(s.out_file("odbcpool.3.log")));
}

TEST(ObservabilityPg, ALogFileThatCannotBeOpenedMeansStderrAndOneWarning) {
  Scenario s("fallback", {"LogLevel = info", "LogFile = @OUT@/not-a-directory/odbcpool.log"},
             kDsns);
  std::ofstream(s.out_file("not-a-directory")) << "a file where the log's directory should be\n";
  const RunResult r = run_clean(s, "fallback");
  EXPECT_EQ(s.facts()["tiny_sqlstate"], "HYT01");
  EXPECT_EQ(grep(r.stderr_text, "cannot open LogFile").size(), 1u) << r.stderr_text;
  EXPECT_EQ(grep(r.stderr_text, "logging to stderr").size(), 1u) << r.stderr_text;
  EXPECT_EQ(grep(r.stderr_text, "info: pool '" + kPooled + "': created for").size(), 1u)
      << r.stderr_text;
  EXPECT_EQ(grep(r.stderr_text, "no connection free in pool 'obs_tiny (odbcpool)'").size(), 1u)
      << r.stderr_text;
}

}  // namespace
}  // namespace observability
