// The metrics file without a database: the exposition format of
// render_prometheus, distinct labels, path expansion and atomic writes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "metrics.h"
#include "prometheus_text.h"
#include "temp_dir.h"

namespace odbcpool {
namespace {

using testing::TempDir;

using observability::Exposition;
using observability::Labels;
using observability::parse_prometheus;
using namespace std::chrono_literals;

pool::Stats sample_stats() {
  pool::Stats s;
  s.open = 5;
  s.idle = 2;
  s.in_use = 3;
  s.opening = 1;
  s.waiting = 4;
  s.max_size = 8;
  s.min_idle = 1;
  s.borrows_total = 1234;
  s.acquire_timeouts_total = 7;
  s.connects_total = 11;
  s.connect_errors_total = 2;
  s.validations_total = 40;
  s.validation_failures_total = 3;
  s.leaks_total = 1;
  s.closes_total[static_cast<std::size_t>(pool::CloseReason::IdleTimeout)] = 5;
  s.closes_total[static_cast<std::size_t>(pool::CloseReason::ValidationFailed)] = 3;
  s.closes_total[static_cast<std::size_t>(pool::CloseReason::Broken)] = 1;
  // 50us, 50us, 3ms, 2s, 100s: buckets 0.0001 (2), 0.005 (1), 2.5 (1), +Inf (1).
  for (auto d : {50us, 50us}) s.borrow_wait_seconds.observe(d);
  s.borrow_wait_seconds.observe(3ms);
  s.borrow_wait_seconds.observe(2s);
  s.borrow_wait_seconds.observe(100s);
  s.connect_seconds.observe(6500us);
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MetricsFormat, IsWellFormedWithHelpAndTypeForEveryFamily) {
  const std::string text = render_prometheus({{"orders (bob)", sample_stats()}});
  const Exposition e = parse_prometheus(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors) << "\n" << text;
  const std::map<std::string, std::string> expected = {
      {"odbcpool_connections", "gauge"},
      {"odbcpool_waiting", "gauge"},
      {"odbcpool_max_size", "gauge"},
      {"odbcpool_borrows_total", "counter"},
      {"odbcpool_borrow_wait_seconds", "histogram"},
      {"odbcpool_acquire_timeouts_total", "counter"},
      {"odbcpool_connects_total", "counter"},
      {"odbcpool_connect_errors_total", "counter"},
      {"odbcpool_connect_seconds", "histogram"},
      {"odbcpool_validations_total", "counter"},
      {"odbcpool_validation_failures_total", "counter"},
      {"odbcpool_closes_total", "counter"},
      {"odbcpool_leaks_total", "counter"},
  };
  for (const auto& [family, type] : expected) {
    ASSERT_EQ(e.type.count(family), 1u) << family << "\n" << text;
    EXPECT_EQ(e.type.at(family), type) << family;
    ASSERT_EQ(e.help.count(family), 1u) << family;
    EXPECT_FALSE(e.help.at(family).empty()) << family;
  }
  for (const auto& [family, type] : e.type) {
    EXPECT_EQ(family.rfind("odbcpool_", 0), 0u) << family;
    if (type == "counter") {
      EXPECT_EQ(family.substr(family.size() - 6), "_total") << family;
    }
  }
}

TEST(MetricsFormat, GaugesAndCountersCarryTheStats) {
  const Exposition e = parse_prometheus(render_prometheus({{"orders (bob)", sample_stats()}}));
  const Labels pool = {{"pool", "orders (bob)"}};
  auto with = [&](const char* key, const char* value) {
    Labels l = pool;
    l[key] = value;
    return l;
  };
  EXPECT_EQ(e.value("odbcpool_connections", with("state", "idle")), 2);
  EXPECT_EQ(e.value("odbcpool_connections", with("state", "in_use")), 3);
  EXPECT_EQ(e.value("odbcpool_waiting", pool), 4);
  EXPECT_EQ(e.value("odbcpool_max_size", pool), 8);
  EXPECT_EQ(e.value("odbcpool_borrows_total", pool), 1234);
  EXPECT_EQ(e.value("odbcpool_acquire_timeouts_total", pool), 7);
  EXPECT_EQ(e.value("odbcpool_connects_total", pool), 11);
  EXPECT_EQ(e.value("odbcpool_connect_errors_total", pool), 2);
  EXPECT_EQ(e.value("odbcpool_validations_total", pool), 40);
  EXPECT_EQ(e.value("odbcpool_validation_failures_total", pool), 3);
  EXPECT_EQ(e.value("odbcpool_leaks_total", pool), 1);
  EXPECT_EQ(e.value("odbcpool_closes_total", with("reason", "idle_timeout")), 5);
  EXPECT_EQ(e.value("odbcpool_closes_total", with("reason", "validation_failed")), 3);
  EXPECT_EQ(e.value("odbcpool_closes_total", with("reason", "broken")), 1);
  // Every reason has a series, zero or not, so that rate() sees it appear.
  for (const char* reason :
       {"lifetime", "reset_failed", "keepalive_failed", "shutdown", "idle_timeout"}) {
    EXPECT_TRUE(e.value("odbcpool_closes_total", with("reason", reason))) << reason;
  }
}

TEST(MetricsFormat, HistogramBucketsAreCumulativeUpToInfWithSumAndCount) {
  const Exposition e = parse_prometheus(render_prometheus({{"p", sample_stats()}}));
  ASSERT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  auto bucket = [&](const char* le) {
    return e.value("odbcpool_borrow_wait_seconds_bucket", {{"pool", "p"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.0001"), 2);
  EXPECT_EQ(bucket("0.001"), 2);
  EXPECT_EQ(bucket("0.005"), 3);
  EXPECT_EQ(bucket("1"), 3);
  EXPECT_EQ(bucket("2.5"), 4);
  EXPECT_EQ(bucket("30"), 4);
  EXPECT_EQ(bucket("+Inf"), 5);
  EXPECT_EQ(e.value("odbcpool_borrow_wait_seconds_count", {{"pool", "p"}}), 5);
  const auto sum = e.value("odbcpool_borrow_wait_seconds_sum", {{"pool", "p"}});
  ASSERT_TRUE(sum);
  EXPECT_NEAR(*sum, 102.0031, 1e-6);
  EXPECT_EQ(e.value("odbcpool_connect_seconds_bucket", {{"pool", "p"}, {"le", "0.005"}}), 0);
  EXPECT_EQ(e.value("odbcpool_connect_seconds_bucket", {{"pool", "p"}, {"le", "0.01"}}), 1);
  EXPECT_EQ(e.value("odbcpool_connect_seconds_count", {{"pool", "p"}}), 1);
}

TEST(MetricsFormat, LabelValuesAreEscaped) {
  const std::string name = "we\"ird\\dsn\nname";
  const std::string text = render_prometheus({{name, pool::Stats()}});
  EXPECT_NE(text.find("pool=\"we\\\"ird\\\\dsn\\nname\""), std::string::npos) << text;
  const Exposition e = parse_prometheus(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_EQ(e.value("odbcpool_max_size", {{"pool", name}}), 0);
}

TEST(MetricsFormat, EveryPoolHasItsOwnSeries) {
  pool::Stats a = sample_stats();
  pool::Stats b;
  b.max_size = 3;
  b.borrows_total = 9;
  std::vector<PoolSnapshot> pools = {{"orders (bob)", a}, {"orders (bob)", b}, {"stock", b}};
  unique_pool_labels(pools);
  EXPECT_EQ(pools[0].name, "orders (bob)");
  EXPECT_EQ(pools[1].name, "orders (bob) #2");
  EXPECT_EQ(pools[2].name, "stock");
  const Exposition e = parse_prometheus(render_prometheus(pools));
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_EQ(e.value("odbcpool_borrows_total", {{"pool", "orders (bob)"}}), 1234);
  EXPECT_EQ(e.value("odbcpool_borrows_total", {{"pool", "orders (bob) #2"}}), 9);
  EXPECT_EQ(e.value("odbcpool_max_size", {{"pool", "stock"}}), 3);
}

TEST(MetricsFormat, NoPoolsIsStillAValidFile) {
  const Exposition e = parse_prometheus(render_prometheus({}));
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_TRUE(e.samples.empty());
}

TEST(MetricsPath, PercentPIsTheProcessId) {
  const std::string pid = std::to_string(::getpid());
  EXPECT_EQ(expand_metrics_path("/run/app-%p.prom"), "/run/app-" + pid + ".prom");
  EXPECT_EQ(expand_metrics_path("/run/%p/%p"), "/run/" + pid + "/" + pid);
  EXPECT_EQ(expand_metrics_path("/run/plain%"), "/run/plain%");
  EXPECT_EQ(expand_metrics_path("/run/100%q"), "/run/100%q");
}

TEST(MetricsWrite, ReplacesTheFileWholeAndLeavesNoTemporary) {
  TempDir dir("odbcpool-metrics");
  const std::string path = dir.path() + "/m.prom";
  write_atomically(path, "first\n");
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  write_atomically(path, "second\n");
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(read_file(path), "second\n");
  // A rename, not a rewrite in place: a reader holding the old file sees it whole.
  EXPECT_NE(before.st_ino, after.st_ino);
  int entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(MetricsWrite, FailureNamesThePath) {
  TempDir dir("odbcpool-metrics");
  const std::string path = dir.path() + "/missing/m.prom";
  try {
    write_atomically(path, "x\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path() + "/missing/m.prom"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace odbcpool
