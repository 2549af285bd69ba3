// What the pool core logs, with a manual clock and a fake factory: the
// summary line once a minute while busy, rate-limited warnings, redacted
// connect errors, and one line per close with its reason.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pool_log.h"
#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

// Lines as "<level>: <message>", readable while other threads log.
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

class PoolLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink = std::make_shared<CapturingSink>();
    auto logger = std::make_shared<spdlog::logger>("odbcpool-test", sink);
    logger->set_pattern("%l: %v");
    logger->set_level(spdlog::level::debug);
    set_logger(logger);
  }
  void TearDown() override { set_logger(nullptr); }

  // Polls: the maintainer thread may be the one that writes it.
  std::vector<std::string> wait_for(const std::string& part, std::size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto found = sink->matching(part);
      if (found.size() >= count || std::chrono::steady_clock::now() > deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::shared_ptr<CapturingSink> sink;
};

// Registered pools live for the whole process, so each test makes its own.
std::shared_ptr<Pool> registered_pool(const std::string& name, std::shared_ptr<ManualClock> clock,
                                      std::shared_ptr<FakeFactory> factory) {
  Settings settings = test_settings(4);
  return PoolRegistry::instance().get_or_create("observability-test:" + name, [&] {
    return std::make_shared<Pool>(name, settings, factory, clock);
  });
}

TEST_F(PoolLogTest, OneSummaryLineAMinuteWhileBusy) {
  auto clock = std::make_shared<ManualClock>();
  auto factory = std::make_shared<FakeFactory>();
  auto pool = registered_pool("summary", clock, factory);
  log_summary_if_due(*pool, clock->now());  // takes note
  Lease a = pool->borrow("a");
  Lease b = pool->borrow("b");
  pool->give_back(std::move(b), ReturnState::Healthy);
  Lease c = pool->borrow("c");
  clock->advance(30s);
  log_summary_if_due(*pool, clock->now());
  EXPECT_TRUE(sink->matching("pool 'summary': in the last").empty());

  clock->advance(31s);
  log_summary_if_due(*pool, clock->now());
  auto lines = wait_for("pool 'summary': in the last");
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(sink->lines());
  EXPECT_NE(lines[0].find("info: pool 'summary': in the last 61s: 3 borrows"), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("2 connects (0 failed)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("now 2 open (0 idle, 2 in use), 0 connecting, 0 waiting, max 4"),
            std::string::npos)
      << lines[0];
  log_summary_if_due(*pool, clock->now());
  EXPECT_EQ(sink->matching("pool 'summary': in the last").size(), 1u);

  // Quiet for a minute: nothing in use, nothing borrowed, no line.
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->give_back(std::move(c), ReturnState::Healthy);
  clock->advance(61s);
  log_summary_if_due(*pool, clock->now());
  clock->advance(61s);
  log_summary_if_due(*pool, clock->now());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a maintainer round or so
  EXPECT_EQ(sink->matching("pool 'summary': in the last").size(), 1u)
      << ::testing::PrintToString(sink->lines());
}

TEST_F(PoolLogTest, NoSummaryForAPoolOutsideTheRegistry) {
  auto clock = std::make_shared<ManualClock>();
  Pool pool("unregistered", test_settings(2), std::make_shared<FakeFactory>(), clock);
  log_summary_if_due(pool, clock->now());
  Lease lease = pool.borrow();
  clock->advance(2min);
  log_summary_if_due(pool, clock->now());
  EXPECT_TRUE(sink->matching("in the last").empty());
  pool.give_back(std::move(lease), ReturnState::Healthy);
}

TEST_F(PoolLogTest, SlowBorrowsAreOneWarningASecond) {
  const TimePoint t0 = TimePoint(std::chrono::hours(5));
  note_borrow_wait("slow", 999ms, t0);
  EXPECT_TRUE(sink->matching("pool 'slow'").empty());
  note_borrow_wait("slow", 1500ms, t0);
  note_borrow_wait("slow", 2s, t0 + 100ms);
  note_borrow_wait("slow", 3s, t0 + 200ms);
  note_borrow_wait("slow", 1200ms, t0 + 1100ms);
  const auto lines = sink->matching("pool 'slow'");
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0],
            "warning: pool 'slow': getting a connection took 1.5s (warning threshold 1s)");
  EXPECT_EQ(lines[1],
            "warning: pool 'slow': getting a connection took 1.2s (warning threshold 1s) (and 2 "
            "more since the last such line)");
}

TEST_F(PoolLogTest, ConnectFailuresAreWarningsWithoutSecrets) {
  auto clock = std::make_shared<ManualClock>();
  auto factory = std::make_shared<FakeFactory>();
  factory->set_before_open([] {
    throw std::runtime_error("cannot connect with DSN=x;UID=bob;PWD=hunter2;Port=5432\nhint\n");
  });
  Pool pool("failing", test_settings(2), factory, clock);
  EXPECT_THROW(pool.borrow(), std::runtime_error);
  const auto lines = sink->matching("pool 'failing'");
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(lines[0].rfind("warning: pool 'failing': connect failed after 0ms: ", 0), 0u)
      << lines[0];
  EXPECT_NE(lines[0].find("PWD=***;Port=5432"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find("hunter2"), std::string::npos) << lines[0];
  // One line, whatever the target's message looked like.
  EXPECT_EQ(lines[0].substr(lines[0].size() - 22), "PWD=***;Port=5432 hint") << lines[0];
  EXPECT_EQ(pool.stats().connect_errors_total, 1u);
}

TEST_F(PoolLogTest, ClosesAreInfoWithTheReasonAndBorrowsAreDebug) {
  auto clock = std::make_shared<ManualClock>();
  auto factory = std::make_shared<FakeFactory>();
  Settings settings = test_settings(2);
  settings.max_lifetime = 10min;
  Pool pool("closing", settings, factory, clock);
  Lease lease = pool.borrow("handle 0x1");
  pool.give_back(std::move(lease), ReturnState::Broken);
  EXPECT_EQ(
      sink->matching("debug: pool 'closing': lent a connection (handle 0x1) after 0ms").size(), 1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(
      sink->matching("info: pool 'closing': closed a connection (broken) after 0ms open").size(),
      1u)
      << ::testing::PrintToString(sink->lines());

  Lease second = pool.borrow("handle 0x2");
  pool.give_back(std::move(second), ReturnState::Healthy);
  EXPECT_EQ(sink->matching("debug: pool 'closing': a connection was given back").size(), 1u);
  clock->advance(11min);
  pool.maintain();
  EXPECT_EQ(sink->matching("info: pool 'closing': closed a connection (lifetime) after").size(), 1u)
      << ::testing::PrintToString(sink->lines());
}

TEST_F(PoolLogTest, DescribeKeepsDurationsShort) {
  EXPECT_EQ(describe(0ms), "0ms");
  EXPECT_EQ(describe(250us), "250us");
  EXPECT_EQ(describe(250ms), "250ms");
  EXPECT_EQ(describe(1500ms), "1.5s");
  EXPECT_EQ(describe(2min), "2m");
  EXPECT_EQ(describe(1h), "1h");
  EXPECT_EQ(fmt::format("{}", Took{61s}), "61s");
}

}  // namespace
}  // namespace odbcpool::pool::testing
