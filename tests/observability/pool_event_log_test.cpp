// What the core logs of a pool's events (PoolEventLog), into a captured
// sink: the lines and their levels, one line a second per pool and kind with
// the count of those left out, the summary line while busy, and redaction.
// Real pools over a manual clock and a fake factory where the pool's part
// matters; the observer called directly where only its own does.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pool_event_log.h"
#include "pool_test_support.h"
#include "redaction.h"
#include "took.h"

namespace odbcpool {
namespace {

using namespace std::chrono_literals;
using pool::testing::FakeFactory;
using pool::testing::ManualClock;
using pool::testing::test_settings;

// Lines as "<level>: <message>".
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  std::vector<std::string> matching(const std::string& part) {
    std::vector<std::string> found;
    for (const auto& l : lines()) {
      if (l.find(part) != std::string::npos) found.push_back(l);
    }
    return found;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    std::string line(formatted.data(), formatted.size());
    if (!line.empty() && line.back() == '\n') line.pop_back();
    lines_.push_back(line);
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;  // guarded by base_sink's mutex_
};

spdlog::logger* captured = nullptr;
spdlog::logger* captured_logger() {
  return captured;
}

class PoolEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink = std::make_shared<CapturingSink>();
    logger = std::make_shared<spdlog::logger>("odbcpool-test", sink);
    logger->set_pattern("%l: %v");
    logger->set_level(spdlog::level::debug);
    captured = logger.get();
  }
  void TearDown() override { captured = nullptr; }

  std::shared_ptr<PoolEventLog> event_log(const std::string& name) {
    return std::make_shared<PoolEventLog>(name, &captured_logger);
  }
  std::unique_ptr<pool::Pool> make_pool(const std::string& name, const pool::Settings& settings) {
    return std::make_unique<pool::Pool>(name, settings, factory, clock, event_log(name));
  }

  std::shared_ptr<CapturingSink> sink;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<FakeFactory> factory = std::make_shared<FakeFactory>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
};

const pool::TimePoint t0 = pool::TimePoint(5h);

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

TEST_F(PoolEventLogTest, OneSummaryLineAMinuteWhileBusy) {
  auto pool = make_pool("summary", test_settings(4));
  pool->maintain();  // takes note
  pool::Lease a = pool->borrow("a");
  pool::Lease b = pool->borrow("b");
  pool->give_back(std::move(b), pool::ReturnState::Healthy);
  pool::Lease c = pool->borrow("c");
  clock->advance(30s);
  pool->maintain();
  EXPECT_TRUE(sink->matching("pool 'summary': in the last").empty());

  clock->advance(31s);
  pool->maintain();
  auto lines = sink->matching("pool 'summary': in the last");
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(lines[0].rfind("info: pool 'summary': in the last 61s: 3 borrows (0 took over 100ms, "
                           "mean 0.000ms), 0 acquire timeouts, 2 connects (0 failed), 0 closed",
                           0),
            0u)
      << lines[0];
  EXPECT_NE(lines[0].find("now 2 open (0 idle, 2 in use), 0 connecting, 0 waiting, max 4"),
            std::string::npos)
      << lines[0];
  pool->maintain();
  EXPECT_EQ(sink->matching("pool 'summary': in the last").size(), 1u);

  // Quiet for a minute: nothing in use, nothing borrowed, no line.
  pool->give_back(std::move(a), pool::ReturnState::Healthy);
  pool->give_back(std::move(c), pool::ReturnState::Healthy);
  clock->advance(61s);
  pool->maintain();
  clock->advance(61s);
  pool->maintain();
  EXPECT_EQ(sink->matching("pool 'summary': in the last").size(), 1u)
      << ::testing::PrintToString(sink->lines());
}

TEST_F(PoolEventLogTest, SlowBorrowsAreOneWarningASecond) {
  auto events = event_log("slow");
  events->slow_borrow(1500ms, t0);
  events->slow_borrow(2s, t0 + 100ms);
  events->slow_borrow(3s, t0 + 200ms);
  events->slow_borrow(1200ms, t0 + 1100ms);
  const auto lines = sink->matching("pool 'slow'");
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0],
            "warning: pool 'slow': getting a connection took 1.5s (warning threshold 1s)");
  EXPECT_EQ(lines[1],
            "warning: pool 'slow': getting a connection took 1.2s (warning threshold 1s) (and 2 "
            "more since the last such line)");
}

TEST_F(PoolEventLogTest, TwoPoolsOfTheSameNameAreRateLimitedApart) {
  auto first = event_log("twin");
  auto second = event_log("twin");
  first->slow_borrow(2s, t0);
  second->slow_borrow(3s, t0 + 10ms);  // its own limit: written
  first->slow_borrow(4s, t0 + 20ms);   // first's limit: left out
  // Another pool's clock may be anywhere: far behind does not matter either.
  second->connect_failed(1ms, "refused", t0 - 1h);
  first->connect_failed(2ms, "refused", t0 + 30ms);
  EXPECT_EQ(sink->matching("getting a connection took").size(), 2u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->matching("took 3s").size(), 1u);
  EXPECT_TRUE(sink->matching("took 4s").empty());
  EXPECT_EQ(sink->matching("connect failed after").size(), 2u);
}

TEST_F(PoolEventLogTest, KindsAreRateLimitedApart) {
  auto events = event_log("kinds");
  events->slow_borrow(2s, t0);
  events->connect_failed(5ms, "refused", t0);
  events->connect_failed(5ms, "refused", t0 + 1ms);
  events->connect_failed(5ms, "refused", t0 + 1s);
  EXPECT_EQ(sink->matching("getting a connection took").size(), 1u);
  const auto failures = sink->matching("connect failed after");
  ASSERT_EQ(failures.size(), 2u) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(failures[1],
            "warning: pool 'kinds': connect failed after 5ms: refused (and 1 more since the last "
            "such line)");
}

TEST_F(PoolEventLogTest, ConnectFailuresAreWarningsWithoutSecrets) {
  factory->set_before_open([] {
    throw std::runtime_error(
        "cannot connect with DSN=x;UID=bob;PWD=hunter2;AccessToken=t0k;Port=5432\nhint\n");
  });
  auto pool = make_pool("failing", test_settings(2));
  EXPECT_THROW(pool->borrow(), std::runtime_error);
  const auto lines = sink->matching("pool 'failing'");
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(lines[0].rfind("warning: pool 'failing': connect failed after 0ms: ", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[0].find("hunter2"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find("t0k"), std::string::npos) << lines[0];
  // One line, whatever the target's message looked like.
  EXPECT_TRUE(ends_with(lines[0], "PWD=***;AccessToken=***;Port=5432 hint")) << lines[0];
}

TEST_F(PoolEventLogTest, TimeoutsAreOneWarningASecondWithTheCountLeftOut) {
  pool::Settings settings = test_settings(1);
  settings.acquire_timeout = pool::Duration::zero();
  auto pool = make_pool("tiny", settings);
  pool::Lease held = pool->borrow();
  for (int i = 0; i < 3; ++i) EXPECT_THROW(pool->borrow(), pool::AcquireTimeout);
  clock->advance(1s);
  EXPECT_THROW(pool->borrow(), pool::AcquireTimeout);
  const auto lines = sink->matching("no connection free in pool 'tiny'");
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(lines[0].rfind("warning: no connection free in pool 'tiny' within 0ms (max size 1", 0),
            0u)
      << lines[0];
  EXPECT_TRUE(ends_with(lines[1], "idle 0, other waiters 0) (and 2 more timeouts)")) << lines[1];
  pool->give_back(std::move(held), pool::ReturnState::Healthy);
}

TEST_F(PoolEventLogTest, ClosesAreInfoWithTheReasonAndBorrowsAreDebug) {
  pool::Settings settings = test_settings(2);
  settings.max_lifetime = 10min;
  auto pool = make_pool("closing", settings);
  pool::Lease lease = pool->borrow("handle 0x1");
  pool->give_back(std::move(lease), pool::ReturnState::Broken);
  EXPECT_EQ(sink->matching("info: pool 'closing': opened a connection in 0ms").size(), 1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(
      sink->matching("debug: pool 'closing': lent a connection (handle 0x1) after 0ms").size(), 1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(
      sink->matching("info: pool 'closing': closed a connection (broken) after 0ms open").size(),
      1u)
      << ::testing::PrintToString(sink->lines());

  pool::Lease second = pool->borrow("handle 0x2");
  pool->give_back(std::move(second), pool::ReturnState::Healthy);
  EXPECT_EQ(sink->matching("debug: pool 'closing': a connection was given back").size(), 1u);
  clock->advance(11min);
  pool->maintain();
  EXPECT_EQ(
      sink->matching("info: pool 'closing': closed a connection (lifetime) after 11m open").size(),
      1u)
      << ::testing::PrintToString(sink->lines());
}

TEST_F(PoolEventLogTest, NoDebugLinesAtInfo) {
  logger->set_level(spdlog::level::info);
  auto pool = make_pool("quiet", test_settings(2));
  pool->give_back(pool->borrow("x"), pool::ReturnState::Healthy);
  EXPECT_TRUE(sink->matching("debug:").empty()) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->matching("info: pool 'quiet': opened a connection").size(), 1u);
}

TEST_F(PoolEventLogTest, LeaksAreWarningsNamingTheBorrower) {
  pool::Settings settings = test_settings(2);
  settings.leak_threshold = 1min;
  auto pool = make_pool("orders", settings);
  pool::Lease leaked = pool->borrow("pid 42 report.php");
  pool::Lease unnamed = pool->borrow();
  clock->advance(1min);
  pool->maintain();
  EXPECT_EQ(sink->matching("warning: pool 'orders': a connection borrowed by pid 42 report.php "
                           "has been in use for 1m (leak threshold 1m)")
                .size(),
            1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->matching("borrowed by an unnamed borrower has been in use").size(), 1u);
  pool->give_back(std::move(leaked), pool::ReturnState::Healthy);
  pool->give_back(std::move(unnamed), pool::ReturnState::Healthy);
}

TEST_F(PoolEventLogTest, ARefillFailureIsAWarningThenDebugWhileItLasts) {
  auto events = event_log("refill");
  events->refill_failed(2, 10ms, "refused PWD=x", true);
  events->refill_failed(2, 20ms, "refused PWD=x", false);
  const auto lines = sink->matching("pool 'refill'");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "warning: pool 'refill': cannot open a connection to keep 2 idle, retrying in 10ms: "
            "refused PWD=***");
  EXPECT_EQ(lines[1].rfind("debug: pool 'refill': cannot open", 0), 0u) << lines[1];
}

TEST_F(PoolEventLogTest, FailuresOfTheBackgroundAreErrors) {
  auto events = event_log("bg");
  events->maintenance_failed("out of memory");
  events->maintenance_failed({});
  events->connection_failure_noted();
  const auto lines = sink->lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "error: pool 'bg': maintenance failed: out of memory");
  EXPECT_EQ(lines[1], "error: pool 'bg': maintenance failed");
  EXPECT_EQ(lines[2],
            "info: pool 'bg': a connection failed (connection-class error): the idle ones are "
            "checked before reuse");
}

TEST_F(PoolEventLogTest, RedactionCoversEverySecretKeyAndKeepsOneLine) {
  EXPECT_EQ(redact_secrets("UID=u;PWD=a;Password=b;DbPasswd=c;ClientSecret=d;AccessToken=e;x=1"),
            "UID=u;PWD=***;Password=***;DbPasswd=***;ClientSecret=***;AccessToken=***;x=1");
  EXPECT_EQ(redact_secrets("PWD={se;cret}}x};UID=u"), "PWD=***;UID=u");
  EXPECT_EQ(loggable("first\nPWD=p;\tsecond\r\n"), "first PWD=***; second");
}

TEST_F(PoolEventLogTest, DurationsAreShort) {
  EXPECT_EQ(pool::describe(0ms), "0ms");
  EXPECT_EQ(pool::describe(250us), "250us");
  EXPECT_EQ(pool::describe(1500ms), "1.5s");
  EXPECT_EQ(pool::describe(2min), "2m");
  EXPECT_EQ(fmt::format("{}", Took{61s}), "61s");
}

}  // namespace
}  // namespace odbcpool
