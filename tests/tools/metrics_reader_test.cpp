// The reader of metrics files against the writer: what the core's
// render_prometheus() writes must come back field for field, whatever the
// pool is called; and what is not such a file fails on the right line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics.h"
#include "pool_metrics.h"
#include "prometheus_text.h"

namespace odbcpool::cli {
namespace {

const MetricsWriter kWriter{31337, 1764700000.5, 10};

PoolSnapshot snapshot(const std::string& name, std::size_t seed) {
  PoolSnapshot s;
  s.name = name;
  pool::Stats& st = s.stats;
  st.idle = seed + 1;
  st.in_use = seed + 2;
  st.open = st.idle + st.in_use;
  st.opening = seed + 3;
  st.waiting = seed + 4;
  st.max_size = seed + 20;
  st.min_idle = seed + 5;
  st.borrows_total = 1000 + seed;
  st.acquire_timeouts_total = seed + 6;
  st.connects_total = seed + 7;
  st.connect_errors_total = seed + 8;
  st.validations_total = seed + 9;
  st.validation_failures_total = seed + 10;
  st.leaks_total = seed + 11;
  for (std::size_t i = 0; i < pool::kCloseReasonCount; ++i) st.closes_total[i] = seed + 12 + i;
  for (int i = 0; i < 4; ++i)
    st.borrow_wait_seconds.observe(std::chrono::microseconds(50 * (i + 1)));
  st.connect_seconds.observe(std::chrono::milliseconds(7));
  return s;
}

void expect_same(const PoolSnapshot& written, const PoolMetrics& read) {
  const pool::Stats& st = written.stats;
  EXPECT_EQ(read.pool, written.name);
  EXPECT_EQ(read.idle, st.idle);
  EXPECT_EQ(read.in_use, st.in_use);
  EXPECT_EQ(read.open(), st.open);
  EXPECT_EQ(read.connecting, st.opening);
  EXPECT_EQ(read.waiting, st.waiting);
  EXPECT_EQ(read.max_size, st.max_size);
  EXPECT_EQ(read.min_idle, st.min_idle);
  EXPECT_EQ(read.borrows, st.borrows_total);
  EXPECT_EQ(read.acquire_timeouts, st.acquire_timeouts_total);
  EXPECT_EQ(read.connects, st.connects_total);
  EXPECT_EQ(read.connect_errors, st.connect_errors_total);
  EXPECT_EQ(read.validations, st.validations_total);
  EXPECT_EQ(read.validation_failures, st.validation_failures_total);
  EXPECT_EQ(read.leaks, st.leaks_total);
  ASSERT_EQ(read.closes_by_reason.size(), pool::kCloseReasonCount);
  std::uint64_t closes = 0;
  for (std::size_t i = 0; i < pool::kCloseReasonCount; ++i) {
    const char* reason = pool::to_string(static_cast<pool::CloseReason>(i));
    ASSERT_EQ(read.closes_by_reason.count(reason), 1u) << reason;
    EXPECT_EQ(read.closes_by_reason.at(reason), st.closes_total[i]) << reason;
    closes += st.closes_total[i];
  }
  EXPECT_EQ(read.closes(), closes);
  EXPECT_EQ(read.borrow_wait.count, st.borrow_wait_seconds.count);
  EXPECT_NEAR(read.borrow_wait.sum_seconds, st.borrow_wait_seconds.sum, 1e-9);
  EXPECT_EQ(read.connect_time.count, st.connect_seconds.count);
  EXPECT_NEAR(read.connect_time.sum_seconds, st.connect_seconds.sum, 1e-9);
}

TEST(MetricsReader, ReadsBackWhatTheDriverWrites) {
  const std::vector<PoolSnapshot> written = {snapshot("orders (bob)", 0),
                                             snapshot("say \"hi\" \\ back\nslash", 100),
                                             snapshot("crème brûlée", 7)};
  const std::vector<PoolMetrics> read =
      pools_from_samples(parse_prometheus_text(render_prometheus(written, kWriter)));
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    expect_same(written[i], read[i]);
    EXPECT_EQ(read[i].pid, 31337) << i;
  }
  ASSERT_TRUE(read[0].borrow_wait.average_seconds().has_value());
  EXPECT_NEAR(*read[0].borrow_wait.average_seconds(), 125e-6, 1e-9);
}

TEST(MetricsReader, TheWriterNamesItsPid) {
  EXPECT_EQ(writer_pid(parse_prometheus_text(render_prometheus({}, kWriter))), 31337);
  EXPECT_EQ(writer_pid(parse_prometheus_text("odbcpool_max_size{pool=\"a\"} 3\n")), std::nullopt);
}

// What a textfile collector serves is every process's file at once: the
// same pool in two processes stays two pools.
TEST(MetricsReader, TheSamePoolInTwoProcessesIsTwoPools) {
  const std::string text = render_prometheus({snapshot("orders (bob)", 0)}, {101, 1, 10}) +
                           render_prometheus({snapshot("orders (bob)", 5)}, {202, 1, 10});
  const std::vector<PoolMetrics> read = pools_from_samples(parse_prometheus_text(text));
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].pid, 101);
  EXPECT_EQ(read[0].max_size, 20u);
  EXPECT_EQ(read[1].pid, 202);
  EXPECT_EQ(read[1].max_size, 25u);
}

TEST(MetricsReader, AnOlderDriversFileHasNoPid) {
  const auto pools = pools_from_samples(parse_prometheus_text("odbcpool_max_size{pool=\"a\"} 3\n"));
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0].pid, std::nullopt);
}

TEST(MetricsReader, AFileWithoutPoolsHasNone) {
  EXPECT_TRUE(pools_from_samples(parse_prometheus_text(render_prometheus({}, kWriter))).empty());
  EXPECT_TRUE(pools_from_samples(parse_prometheus_text("")).empty());
}

TEST(MetricsReader, IgnoresOtherProgramsSeries) {
  const auto pools = pools_from_samples(parse_prometheus_text(
      "process_cpu_seconds_total 1.5\n"
      "http_requests_total{method=\"post\",code=\"200\",} 1027 1395066363000\n"
      "odbcpool_max_size{pool=\"a\"} 3\n"));
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0].max_size, 3u);
}

TEST(MetricsReader, AcceptsTheFormatsSpecialValues) {
  const auto samples = parse_prometheus_text(
      "a NaN\nb +Inf\nc -Inf\nd 1.5e-3\ne{x=\"\"} -0\n  \n# a comment\r\nf\t2\t-17\n");
  ASSERT_EQ(samples.size(), 6u);
  EXPECT_TRUE(std::isnan(samples[0].value));
  EXPECT_TRUE(std::isinf(samples[1].value));
  EXPECT_DOUBLE_EQ(samples[3].value, 1.5e-3);
  EXPECT_EQ(samples[5].name, "f");
  EXPECT_EQ(samples[5].line, 8u);
}

struct Malformed {
  std::string text;
  std::size_t line;
  const char* message_part;
};

void PrintTo(const Malformed& m, std::ostream* os) {
  *os << ::testing::PrintToString(m.text);
}

class MalformedMetrics : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedMetrics, FailsOnTheLine) {
  const Malformed& m = GetParam();
  try {
    pools_from_samples(parse_prometheus_text(m.text));
    FAIL() << "parsed: " << m.text;
  } catch (const MetricsFormatError& e) {
    EXPECT_EQ(e.line(), m.line) << e.what();
    EXPECT_NE(std::string(e.what()).find(m.message_part), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedMetrics,
    ::testing::Values(Malformed{"a 1\nb\n", 2, "has no value"},
                      Malformed{"a{x=\"1\" 1\n", 1, "expected ',' or '}'"},
                      Malformed{"a{x=1} 1\n", 1, "expected '\"'"},
                      Malformed{"a{x=\"1\\t\"} 1\n", 1, "unknown escape"},
                      Malformed{"a{x=\"1\"} 1 2 3\n", 1, "unexpected text"},
                      Malformed{"a 1 soon\n", 1, "not a timestamp"},
                      Malformed{"a 0x10\n", 1, "not a sample value"},
                      Malformed{"a inf\n", 1, "not a sample value"},
                      Malformed{"9a 1\n", 1, "expected a metric name"},
                      Malformed{"# TYPE\n", 1, "expected a metric name"},
                      Malformed{"# TYPE a sometimes\n", 1, "not a metric type"},
                      Malformed{"ok 1\nodbcpool_leaks_total 1\n", 2, "has no pool label"},
                      Malformed{"odbcpool_leaks_total{pool=\"p\"} 1.5\n", 1, "whole number"},
                      Malformed{"odbcpool_closes_total{pool=\"p\"} 1\n", 1, "has no reason label"},
                      Malformed{"a 1\nodbcpool_leaks_total{pool=\"p\",pid=\"me\"} 1\n", 2,
                                "expected a process id"},
                      Malformed{"odbcpool_connect_seconds_sum{pool=\"p\"} -1\n", 1,
                                "number of seconds"},
                      Malformed{std::string("a 1\n\0\n", 6), 2, "NUL"}));

}  // namespace
}  // namespace odbcpool::cli
