// Drill 7, two users: the credentials are part of a pool's identity. Two
// users through the same pooled DSN get different backends, each logged in
// as itself, and a connection opened for one is never lent to the other.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "drill_support.h"

namespace drills {
namespace {

constexpr const char* kUser2 = "drill_user2";
constexpr const char* kPassword2 = "drill-user2-secret";
constexpr int kRounds = 50;

// Creates the role, or resets its password. The drills run as separate
// processes (ctest -j): the advisory lock serialises them, since concurrent
// CREATE ROLE or ALTER ROLE of one role fail.
void create_second_user(Admin& admin) {
  const std::string user = kUser2, password = kPassword2;
  admin.connection().execute(
      "DO $$BEGIN PERFORM pg_advisory_xact_lock(727001); "
      "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" +
      user + "') THEN CREATE ROLE " + user + " LOGIN PASSWORD '" + password +
      "'; ELSE ALTER ROLE " + user + " LOGIN PASSWORD '" + password + "'; END IF; END$$");
}

struct Seen {
  std::set<long long> pids;
  std::set<std::string> users;
};

// One borrow: checks who the server thinks we are and records the backend.
void borrow(Connection& c, Seen& seen, const std::string& expected_user, int round) {
  const std::string user = c.query("SELECT current_user");
  EXPECT_EQ(user, expected_user) << "round " << round;
  seen.users.insert(user);
  seen.pids.insert(c.query_int("SELECT pg_backend_pid()"));
}

std::string pids_text(const std::set<long long>& pids) {
  std::string text;
  for (long long pid : pids) text += (text.empty() ? "" : ", ") + std::to_string(pid);
  return "{" + text + "}";
}

void check_separated(const Seen& one, const Seen& two) {
  EXPECT_EQ(one.pids.size(), 1u) << pids_text(one.pids);
  EXPECT_EQ(two.pids.size(), 1u) << pids_text(two.pids);
  for (long long pid : one.pids) {
    EXPECT_EQ(two.pids.count(pid), 0u) << "backend " << pid << " was lent to both users";
  }
  EXPECT_EQ(one.users, std::set<std::string>{kUser});
  EXPECT_EQ(two.users, std::set<std::string>{kUser2});
}

// UID/PWD in the connection string (SQLDriverConnect).
TEST(TwoUsersDrill, ConnectionStringCredentials) {
  Admin admin;
  create_second_user(admin);
  const std::string app = app_name("drill_two_users");
  const std::string settings = "PoolMaxSize=1;PoolAcquireTimeout=2s;";
  const std::string cs1 = pooled_string(app, settings + "UID=" + kUser + ";PWD=" + kPassword);
  const std::string cs2 = pooled_string(app, settings + "UID=" + kUser2 + ";PWD=" + kPassword2);
  Env env;
  Seen one, two;
  for (int round = 0; round < kRounds; ++round) {
    // Even rounds one after the other, odd rounds both at once (with one
    // connection per pool, a shared pool would make the second wait and
    // time out).
    Connection c1(env.get()), c2(env.get());
    c1.connect(cs1);
    borrow(c1, one, kUser, round);
    if (round % 2 == 0) c1.disconnect();
    c2.connect(cs2);
    borrow(c2, two, kUser2, round);
    c2.disconnect();
    if (c1.connected()) c1.disconnect();
  }
  check_separated(one, two);
  const auto open = admin.backends(app);
  EXPECT_EQ(open.size(), 2u) << "backends of " << app << ": one per user expected";
}

// The same through SQLConnect(DSN, UID, PWD).
TEST(TwoUsersDrill, SQLConnectCredentials) {
  Admin admin;
  create_second_user(admin);
  Env env;
  Seen one, two;
  for (int round = 0; round < kRounds; ++round) {
    Connection c1(env.get()), c2(env.get());
    ASSERT_TRUE(SQL_SUCCEEDED(c1.try_connect(kPooledDsn, kUser, kPassword)))
        << describe(c1.last_diagnostics());
    borrow(c1, one, kUser, round);
    c1.disconnect();
    ASSERT_TRUE(SQL_SUCCEEDED(c2.try_connect(kPooledDsn, kUser2, kPassword2)))
        << describe(c2.last_diagnostics());
    borrow(c2, two, kUser2, round);
    c2.disconnect();
  }
  // Default PoolMaxSize, one connection at a time: one backend per user.
  check_separated(one, two);
}

// A wrong password must fail as it does without the pool, even while a
// connection of that user opened with the right password sits idle in a
// pool (the password is part of the pool key).
TEST(TwoUsersDrill, WrongPasswordNeverGetsAnIdleConnection) {
  Admin admin;
  create_second_user(admin);
  const std::string app = app_name("drill_two_users_pwd");
  const std::string good_credentials = std::string("UID=") + kUser2 + ";PWD=" + kPassword2;
  const std::string bad_credentials = std::string("UID=") + kUser2 + ";PWD=wrong-password";
  Env env;
  {
    Connection good(env.get());
    good.connect(pooled_string(app, good_credentials));
    EXPECT_EQ(good.query("SELECT current_user"), kUser2);
    good.disconnect();
  }
  ASSERT_EQ(admin.backends(app).size(), 1u) << "the good connection should idle in the pool";

  // What psqlODBC itself answers (08001, "password authentication failed").
  Connection direct(env.get());
  ASSERT_EQ(direct.try_connect(direct_string(app) + ";" + bad_credentials), SQL_ERROR);
  ASSERT_FALSE(direct.last_diagnostics().empty());

  Connection bad(env.get());
  const SQLRETURN rc = bad.try_connect(pooled_string(app, bad_credentials));
  ASSERT_EQ(rc, SQL_ERROR) << "connected with a wrong password";
  ASSERT_FALSE(bad.last_diagnostics().empty());
  EXPECT_EQ(bad.last_diagnostics().front().sqlstate, direct.last_diagnostics().front().sqlstate)
      << "pooled: " << describe(bad.last_diagnostics())
      << "\ndirect: " << describe(direct.last_diagnostics());
  EXPECT_NE(describe(bad.last_diagnostics()).find("password authentication failed"),
            std::string::npos)
      << describe(bad.last_diagnostics());
  EXPECT_EQ(admin.backends(app).size(), 1u);
}

}  // namespace
}  // namespace drills
