// Test doubles for the pool core: a clock moved by hand, and a connection
// factory whose connections remember what was done to them.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pool.h"

namespace odbcpool::pool::testing {

using namespace std::chrono_literals;

// Starts at an arbitrary point far from zero and moves only when told.
class ManualClock final : public Clock {
 public:
  TimePoint now() const override { return TimePoint(Duration(ticks_.load())); }
  void advance(Duration d) { ticks_.fetch_add(d.count()); }

  // The time a waiter sleeps for is real; the deadline is ours. Wake up
  // often to notice that the test moved the clock.
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  TimePoint deadline) const override {
    if (now() < deadline) cv.wait_for(lock, 1ms);
  }

 private:
  std::atomic<Duration::rep> ticks_{Duration(std::chrono::hours(1000)).count()};
};

// Thrown by FakeFactory::open(): a type of its own, to check that the pool
// propagates it unchanged.
class FakeConnectError : public std::runtime_error {
 public:
  explicit FakeConnectError(const std::string& what) : std::runtime_error(what) {}
};

// What happened to one fake connection; outlives the connection.
struct FakeState {
  explicit FakeState(int id) : id(id) {}
  const int id;
  Kind kind = 0;                    // what it was opened as
  std::atomic<bool> dead{false};    // is_dead_quick() answer
  std::atomic<bool> ping_ok{true};  // ping() answer
  std::atomic<bool> ping_throws{false};
  std::atomic<int> pings{0};
  std::atomic<int> dead_checks{0};
  std::atomic<bool> closed{false};
  std::atomic<bool> abandoned{false};
};

class FakeFactory;

class FakeResource final : public Resource {
 public:
  FakeResource(std::shared_ptr<FakeState> state, FakeFactory& factory)
      : state_(std::move(state)), factory_(factory) {}
  ~FakeResource() override;

  int id() const { return state_->id; }
  FakeState& state() { return *state_; }

  bool is_dead_quick() override {
    ++state_->dead_checks;
    return state_->dead.load();
  }
  bool ping(Duration) override {
    ++state_->pings;
    if (state_->ping_throws.load()) throw std::runtime_error("ping threw");
    return state_->ping_ok.load();
  }
  void close() noexcept override;
  void abandon() noexcept override;

 private:
  std::shared_ptr<FakeState> state_;
  FakeFactory& factory_;
  bool ended_ = false;
};

class FakeFactory final : public ResourceFactory {
 public:
  std::unique_ptr<Resource> open(Kind kind, Duration budget) override {
    ++attempts;
    last_kind.store(kind);
    last_budget.store(budget.count());
    std::function<void()> hook;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      hook = before_open_;
    }
    if (hook) hook();
    if (fail.load()) {
      ++failures;
      throw FakeConnectError("could not connect to fake server (attempt " +
                             std::to_string(attempts.load()) + ")");
    }
    auto state = std::make_shared<FakeState>(next_id_.fetch_add(1) + 1);
    state->kind = kind;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      states_[state->id] = state;
    }
    const int now_live = live.fetch_add(1) + 1;
    int seen = max_live.load();
    while (now_live > seen && !max_live.compare_exchange_weak(seen, now_live)) {
    }
    return std::make_unique<FakeResource>(state, *this);
  }

  // Runs at the start of every open(), outside any pool lock.
  void set_before_open(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    before_open_ = std::move(hook);
  }

  std::shared_ptr<FakeState> state(int id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = states_.find(id);
    return it == states_.end() ? nullptr : it->second;
  }
  int opened() const { return next_id_.load(); }
  int count_closed() {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& [id, s] : states_) n += s->closed.load() ? 1 : 0;
    return n;
  }
  int count_abandoned() {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& [id, s] : states_) n += s->abandoned.load() ? 1 : 0;
    return n;
  }

  std::atomic<bool> fail{false};
  std::atomic<int> attempts{0};
  std::atomic<Kind> last_kind{0};             // what the last open() was asked for
  std::atomic<Duration::rep> last_budget{0};  // and within how long
  std::atomic<int> failures{0};
  std::atomic<int> live{0};      // opened and neither closed nor abandoned
  std::atomic<int> max_live{0};  // the most ever live at once
  std::atomic<int> bad_ends{0};  // close/abandon twice, or destroyed without either

 private:
  std::mutex mutex_;
  std::function<void()> before_open_;
  std::map<int, std::shared_ptr<FakeState>> states_;
  std::atomic<int> next_id_{0};
};

inline FakeResource::~FakeResource() {
  if (!ended_) ++factory_.bad_ends;
}

inline void FakeResource::close() noexcept {
  if (ended_) ++factory_.bad_ends;
  ended_ = true;
  state_->closed = true;
  --factory_.live;
}

inline void FakeResource::abandon() noexcept {
  if (ended_) ++factory_.bad_ends;
  ended_ = true;
  state_->abandoned = true;
  --factory_.live;
}

inline FakeResource& fake(const Lease& lease) {
  return static_cast<FakeResource&>(lease.resource());
}
inline int id_of(const Lease& lease) {
  return fake(lease).id();
}

// Remembers what a pool reported. The hot-path events are only counted, so
// that recording allocates nothing there.
class RecordingEvents final : public PoolEvents {
 public:
  struct Event {
    std::string what;     // the event's name: "closed", "connect_failed", ...
    std::string text;     // the borrower, the error, or the close reason
    Duration duration{};  // waited, took, age or held
  };

  std::vector<Event> all() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  std::vector<Event> named(const std::string& what) {
    std::vector<Event> found;
    for (auto& e : all()) {
      if (e.what == what) found.push_back(e);
    }
    return found;
  }
  std::vector<AcquireTimeout> timeouts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return timeouts_;
  }
  struct Summary {
    Stats before;
    Stats now;
    Duration over;
  };
  std::vector<Summary> summaries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return summaries_;
  }

  void lent(std::string_view, Duration) noexcept override { ++lent_count; }
  void given_back() noexcept override { ++given_back_count; }
  void slow_borrow(Duration waited, TimePoint) noexcept override { add("slow_borrow", {}, waited); }
  void opened(Duration took) noexcept override { add("opened", {}, took); }
  void closed(CloseReason reason, Duration age) noexcept override {
    add("closed", to_string(reason), age);
  }
  void connect_failed(Duration took, const std::string& error, TimePoint) noexcept override {
    add("connect_failed", error, took);
  }
  void timed_out(const AcquireTimeout& error, TimePoint) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    timeouts_.push_back(error);
  }
  void leaked(std::string_view borrower, Duration held, Duration) noexcept override {
    add("leaked", std::string(borrower), held);
  }
  void refill_failed(std::size_t, Duration retry_in, const std::string& error,
                     bool first) noexcept override {
    add(first ? "refill_failed" : "refill_failed_again", error, retry_in);
  }
  void connection_failure_noted() noexcept override { add("connection_failure_noted", {}, {}); }
  void maintenance_failed(std::string_view error) noexcept override {
    add("maintenance_failed", std::string(error), {});
  }
  void summary(const Stats& before, const Stats& now, Duration over) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    summaries_.push_back({before, now, over});
  }

  std::atomic<int> lent_count{0};
  std::atomic<int> given_back_count{0};

 private:
  void add(const char* what, std::string text, Duration duration) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back({what, std::move(text), duration});
  }

  std::mutex mutex_;
  std::vector<Event> events_;
  std::vector<AcquireTimeout> timeouts_;
  std::vector<Summary> summaries_;
};

// A one-shot gate a test opens to let blocked threads go on.
class Gate {
 public:
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Polls `condition` for up to 10 s of real time: only for things another
// thread is about to do, never to assert how fast it was.
inline bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Settings for tests: small, and every background policy off unless a test
// turns it on.
inline Settings test_settings(std::size_t max_size = 4) {
  Settings s;
  s.max_size = max_size;
  s.min_idle = 0;
  s.acquire_timeout = 30s;
  s.idle_timeout = Duration::zero();
  s.max_lifetime = Duration::zero();
  s.validation = Validation::Auto;
  s.validation_bypass = 500ms;
  s.validation_timeout = 5s;
  s.keepalive = Duration::zero();
  s.leak_threshold = Duration::zero();
  return s;
}

// A pool over a fake factory and a manual clock, reporting to `events`.
struct PoolFixture : ::testing::Test {
  std::shared_ptr<FakeFactory> factory = std::make_shared<FakeFactory>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<RecordingEvents> events = std::make_shared<RecordingEvents>();

  std::unique_ptr<Pool> make_pool(const Settings& settings, const std::string& name = "test") {
    return std::make_unique<Pool>(name, settings, factory, clock, events);
  }

  void TearDown() override { EXPECT_EQ(factory->bad_ends.load(), 0); }
};

}  // namespace odbcpool::pool::testing
