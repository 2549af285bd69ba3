// observability_workload SCENARIO OUTDIR
//
// A scripted workload through the unixODBC Driver Manager against the test
// PostgreSQL, for observability_pg_test, which gives it a private ini
// directory (ODBCSYSINI) whose pooled DSNs write MetricsFile
// OUTDIR/metrics-%p.prom. It records what it saw in OUTDIR/facts.txt
// (key=value lines) and copies the metrics file at chosen moments to
// OUTDIR/<label>.prom, since the file itself is gone once it exits. It never
// prints a password. Exit status 0 when the script ran as planned.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "drill_support.h"

namespace {

using drills::Clock;
using drills::Connection;
using drills::Env;
using namespace std::chrono_literals;

constexpr const char* kUser = "odbcpool";
constexpr const char* kPassword = "odbcpool-secret";
constexpr const char* kWrongPassword = "wrong-pw-8c1e77";

std::string g_out;

void fact(const std::string& key, const std::string& value) {
  std::ofstream(g_out + "/facts.txt", std::ios::app) << key << '=' << value << '\n';
}

std::string metrics_path() {
  return g_out + "/metrics-" + std::to_string(static_cast<long>(::getpid())) + ".prom";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Waits until the metrics file has been replaced twice, so that its content
// was taken after this call began, and copies it to OUTDIR/<label>.prom.
void snapshot(const std::string& label) {
  const std::string path = metrics_path();
  const auto deadline = Clock::now() + 15s;
  ino_t last = inode_of(path);
  int replaced = 0;
  while (replaced < 2) {
    if (Clock::now() > deadline) throw std::runtime_error(path + " is not being rewritten");
    std::this_thread::sleep_for(10ms);
    const ino_t now = inode_of(path);
    if (now != 0 && now != last) {
      ++replaced;
      last = now;
    }
  }
  std::ofstream(g_out + "/" + label + ".prom") << read_file(path);
  fact("metrics_file", path);
}

// Waits until the metrics file contains `line`.
bool wait_for_line(const std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (read_file(metrics_path()).find(line + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

std::string first_sqlstate(const Connection& c) {
  return c.last_diagnostics().empty() ? "" : c.last_diagnostics().front().sqlstate;
}

std::string first_message(const Connection& c) {
  return c.last_diagnostics().empty() ? "" : c.last_diagnostics().front().message;
}

// Connection::connect would put the connection string, password and all,
// into its error.
void connect_with(Connection& c, const std::string& connection_string) {
  if (!SQL_SUCCEEDED(c.try_connect(connection_string))) {
    throw std::runtime_error("SQLDriverConnect failed: " + drills::describe(c.last_diagnostics()));
  }
}

void connect_cycle(Env& env, const std::string& dsn) {
  Connection c(env.get());
  const SQLRETURN rc = c.try_connect(dsn, kUser, kPassword);
  if (!SQL_SUCCEEDED(rc)) {
    throw std::runtime_error("connect to " + dsn +
                             " failed: " + drills::describe(c.last_diagnostics()));
  }
  if (c.query_int("SELECT 1") != 1) throw std::runtime_error("SELECT 1 is not 1");
  c.disconnect();
}

void cycles(Env& env, int count, const std::string& dsn = "obs_pooled") {
  for (int i = 0; i < count; ++i) connect_cycle(env, dsn);
}

// N sequential connect/SELECT 1/disconnect cycles with PoolMaxSize=2.
void run_cycles() {
  Env env;
  cycles(env, 25);
  fact("cycles", "25");
  snapshot("after-cycles");
}

// A borrower waits behind a held connection (which leaks past
// PoolLeakThreshold), then a pool of one with no acquire timeout refuses.
void run_exhausted() {
  Env env;
  Connection held(env.get());
  if (!SQL_SUCCEEDED(held.try_connect("obs_wait", kUser, kPassword))) {
    throw std::runtime_error("connect: " + drills::describe(held.last_diagnostics()));
  }
  const auto waiter_started = Clock::now();
  std::string waiter_error;
  std::thread waiter([&] {
    try {
      Env own;
      connect_cycle(own, "obs_wait");
    } catch (const std::exception& e) {
      waiter_error = e.what();
    }
  });
  const bool saw_waiting =
      wait_for_line("odbcpool_waiting{pool=\"obs_wait (odbcpool)\",pid=\"" +
                        std::to_string(static_cast<long>(::getpid())) + "\"} 1",
                    std::chrono::seconds(10));
  fact("saw_waiting", saw_waiting ? "yes" : "no");
  snapshot("waiting");
  // Past the slow-borrow warning threshold (1 s) and the leak threshold.
  std::this_thread::sleep_until(waiter_started + 1500ms);
  held.disconnect();
  waiter.join();
  fact("waiter_error", waiter_error);

  Connection one(env.get());
  if (!SQL_SUCCEEDED(one.try_connect("obs_tiny", kUser, kPassword))) {
    throw std::runtime_error("connect: " + drills::describe(one.last_diagnostics()));
  }
  Connection refused(env.get());
  const SQLRETURN rc = refused.try_connect("obs_tiny", kUser, kPassword);
  fact("tiny_second_connect", SQL_SUCCEEDED(rc) ? "succeeded" : "failed");
  fact("tiny_sqlstate", first_sqlstate(refused));
  one.disconnect();
  snapshot("after-exhausted");
}

long long backend_pid(Connection& c) {
  return c.query_int("SELECT pg_backend_pid()");
}

void terminate(drills::Admin& admin, long long pid) {
  admin.connection().query("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  const auto deadline = Clock::now() + 10s;
  while (!admin.backend_state(pid).empty()) {
    if (Clock::now() > deadline) throw std::runtime_error("backend still there");
    std::this_thread::sleep_for(20ms);
  }
}

// A backend killed while idle fails validation; one killed in use breaks.
void run_killed() {
  Env env;
  drills::Admin admin;
  const std::string dsn_string = std::string("DSN=obs_validate;UID=") + kUser + ";PWD=" + kPassword;
  long long first = 0;
  {
    Connection c(env.get());
    connect_with(c, dsn_string);
    first = backend_pid(c);
    c.disconnect();
  }
  terminate(admin, first);
  {
    Connection c(env.get());
    connect_with(c, dsn_string);
    fact("new_backend_after_kill", backend_pid(c) != first ? "yes" : "no");
    c.disconnect();
  }
  {
    Connection c(env.get());
    connect_with(c, dsn_string);
    terminate(admin, backend_pid(c));
    std::string state;
    try {
      c.query("SELECT 1");
      state = "none";
    } catch (const drills::DrillError& e) {
      state = e.sqlstate();
    }
    fact("in_use_kill_sqlstate", state);
    c.try_disconnect();
    c.forget();
  }
  snapshot("after-killed");
}

// A wrong password, a bad configuration value and a typo, then a good
// connect with the password in the connection string.
void run_failures() {
  Env env;
  {
    Connection c(env.get());
    const SQLRETURN rc = c.try_connect("obs_pooled", kUser, kWrongPassword);
    fact("wrong_password", SQL_SUCCEEDED(rc) ? "succeeded" : "failed");
    fact("wrong_password_sqlstate", first_sqlstate(c));
  }
  const std::string good = std::string("DSN=obs_pooled;UID=") + kUser + ";PWD=" + kPassword;
  {
    Connection c(env.get());
    const SQLRETURN rc = c.try_connect(good + ";PoolMaxSize=lots");
    fact("bad_config", SQL_SUCCEEDED(rc) ? "succeeded" : "failed");
    fact("bad_config_sqlstate", first_sqlstate(c));
    fact("bad_config_names_key",
         first_message(c).find("PoolMaxSize") != std::string::npos ? "yes" : "no");
  }
  {
    Connection c(env.get());
    const SQLRETURN rc = c.try_connect(good + ";PoolMaxSiz=3");
    fact("typo", rc == SQL_SUCCESS_WITH_INFO ? "warned" : std::to_string(rc));
    if (SQL_SUCCEEDED(rc)) c.disconnect();
  }
  snapshot("after-failures");
}

// Enough pool lines at debug level to rotate a small log a few times.
void run_rotation() {
  Env env;
  cycles(env, 150);
  fact("cycles", "150");
}

// Logging to stderr after LogFile could not be opened.
void run_fallback() {
  Env env;
  cycles(env, 3);
  Connection one(env.get());
  connect_with(one, std::string("DSN=obs_tiny;UID=") + kUser + ";PWD=" + kPassword);
  Connection refused(env.get());
  fact("tiny_sqlstate", SQL_SUCCEEDED(refused.try_connect("obs_tiny", kUser, kPassword))
                            ? "none"
                            : first_sqlstate(refused));
  one.disconnect();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SCENARIO OUTDIR\n", argv[0]);
    return 2;
  }
  const std::string scenario = argv[1];
  g_out = argv[2];
  try {
    if (scenario == "cycles") {
      run_cycles();
    } else if (scenario == "exhausted") {
      run_exhausted();
    } else if (scenario == "killed") {
      run_killed();
    } else if (scenario == "failures") {
      run_failures();
    } else if (scenario == "rotation") {
      run_rotation();
    } else if (scenario == "fallback") {
      run_fallback();
    } else {
      std::fprintf(stderr, "unknown scenario '%s'\n", scenario.c_str());
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "workload %s failed: %s\n", scenario.c_str(), e.what());
    return 1;
  }
  std::printf("workload %s done\n", scenario.c_str());
  return 0;
}
