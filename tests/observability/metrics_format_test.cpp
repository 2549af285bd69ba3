// The metrics file without a database: the exposition format of
// render_prometheus, distinct labels, path expansion and atomic writes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
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

// A fixed writer, so that the output does not depend on this process.
const MetricsWriter kWriter{4242, 1764700000.25, 10};

std::string render(const std::vector<PoolSnapshot>& pools) {
  return render_prometheus(pools, kWriter);
}

// The exposition with every series checked for the writer's pid label,
// which is then removed, so that values are looked up by their other labels.
Exposition parse_without_pid(const std::string& text) {
  Exposition e = parse_prometheus(text);
  for (auto& sample : e.samples) {
    const auto pid = sample.labels.find("pid");
    if (pid == sample.labels.end() || pid->second != "4242") {
      e.errors.push_back(sample.name + " is not labelled pid=\"4242\"");
      continue;
    }
    sample.labels.erase(pid);
  }
  return e;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MetricsFormat, IsWellFormedWithHelpAndTypeForEveryFamily) {
  const std::string text = render({{"orders (bob)", sample_stats()}});
  const Exposition e = parse_without_pid(text);
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
      {"odbcpool_metrics_writer_info", "gauge"},
      {"odbcpool_metrics_last_write_timestamp_seconds", "gauge"},
      {"odbcpool_metrics_interval_seconds", "gauge"},
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
  const Exposition e = parse_without_pid(render({{"orders (bob)", sample_stats()}}));
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
  const Exposition e = parse_without_pid(render({{"p", sample_stats()}}));
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
  const std::string text = render({{name, pool::Stats()}});
  EXPECT_NE(text.find("pool=\"we\\\"ird\\\\dsn\\nname\""), std::string::npos) << text;
  const Exposition e = parse_without_pid(text);
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
  const Exposition e = parse_without_pid(render(pools));
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_EQ(e.value("odbcpool_borrows_total", {{"pool", "orders (bob)"}}), 1234);
  EXPECT_EQ(e.value("odbcpool_borrows_total", {{"pool", "orders (bob) #2"}}), 9);
  EXPECT_EQ(e.value("odbcpool_max_size", {{"pool", "stock"}}), 3);
}

TEST(MetricsFormat, NoPoolsIsStillAValidFileThatNamesItsWriter) {
  const Exposition e = parse_without_pid(render({}));
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  ASSERT_EQ(e.samples.size(), 3u);
  EXPECT_TRUE(e.pools().empty());
}

// A file left by a killed process is told by its writer and write time.
TEST(MetricsFormat, TheWriterSaysWhoWroteTheFileAndWhen) {
  const std::string text = render({{"p", pool::Stats()}});
  const Exposition e = parse_without_pid(text);
  EXPECT_TRUE(e.errors.empty()) << ::testing::PrintToString(e.errors);
  EXPECT_EQ(e.value("odbcpool_metrics_writer_info", {{"version", ODBCPOOL_VERSION}}), 1) << text;
  // To the millisecond: 9 significant digits would say 1764700000.
  EXPECT_NE(text.find("odbcpool_metrics_last_write_timestamp_seconds{pid=\"4242\"} "
                      "1764700000.250\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(e.value("odbcpool_metrics_interval_seconds", {}), 10);
}

TEST(MetricsFormat, TheCurrentWriterIsThisProcessNow) {
  const auto before = std::chrono::system_clock::now();
  const MetricsWriter w = current_metrics_writer(std::chrono::milliseconds(1500));
  const auto after = std::chrono::system_clock::now();
  EXPECT_EQ(w.pid, static_cast<long>(::getpid()));
  EXPECT_EQ(w.interval_seconds, 1.5);
  EXPECT_GE(w.written_at_seconds,
            std::chrono::duration<double>(before.time_since_epoch()).count() - 0.001);
  EXPECT_LE(w.written_at_seconds,
            std::chrono::duration<double>(after.time_since_epoch()).count() + 0.001);
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

TEST(MetricsWrite, CreatesMissingDirectoriesAsLogFileDoes) {
  TempDir dir("odbcpool-metrics");
  const std::string path = dir.path() + "/run/odbcpool/m.prom";
  write_atomically(path, "x\n");
  EXPECT_EQ(read_file(path), "x\n");
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() + "/run/odbcpool").c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
}

// node_exporter runs as its own user: the file must be readable by others
// even when the application runs with umask 077.
TEST(MetricsWrite, TheFileIsReadableByOthersWhateverTheUmask) {
  TempDir dir("odbcpool-metrics");
  const std::string path = dir.path() + "/m.prom";
  const mode_t old_umask = ::umask(077);
  write_atomically(path, "x\n");
  ::umask(old_umask);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644u);
}

// A textfile collector reads *.prom: a temporary it saw would be a second
// copy of every series. rename() is atomic only within one file system.
TEST(MetricsWrite, TheTemporaryIsInTheSameDirectoryAndNotAPromFile) {
  const std::string first = metrics_temporary_path("/run/odbcpool/m-1.prom");
  const std::string second = metrics_temporary_path("/run/odbcpool/m-1.prom");
  EXPECT_NE(first, second);
  for (const std::string& t : {first, second}) {
    EXPECT_EQ(t.rfind("/run/odbcpool/", 0), 0u) << t;
    EXPECT_EQ(t.find('/', 14), std::string::npos) << t;
    EXPECT_NE(t.substr(t.size() - 5), ".prom") << t;
  }
}

TEST(MetricsWrite, FailureNamesTheMetricsFileNotItsTemporary) {
  TempDir dir("odbcpool-metrics");
  std::ofstream(dir.path() + "/not-a-directory") << "x";
  const std::string path = dir.path() + "/not-a-directory/m.prom";
  try {
    write_atomically(path, "x\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'" + path + "'"), std::string::npos) << message;
    EXPECT_EQ(message.find(".tmp"), std::string::npos) << message;
    EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace odbcpool
