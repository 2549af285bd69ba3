// The run-time backstop against a DSN chain that loops: a connect re-entered
// on the same thread for a DSN it is already connecting fails at once,
// where the configuration check cannot see the chain (one through the Driver
// Manager, say), instead of waiting on itself until PoolAcquireTimeout.
#include "connect_chain.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

#include "errors.h"

namespace odbcpool {
namespace {

ConnectConfig pooled_dsn(const std::string& dsn, const std::string& target) {
  ConnectConfig c;
  c.dsn = dsn;
  c.own["targetdsn"] = ConfigValue{target, ConfigSource::DsnSection, "odbc.ini [" + dsn + "]"};
  c.target_library = "/x/libodbcpool.so";
  c.target_string.set("DSN", target);
  return c;
}

ConnectConfig dsn_less(const std::string& driver, const std::string& database) {
  ConnectConfig c;
  c.own["targetdriver"] =
      ConfigValue{driver, ConfigSource::ConnectionString, "the connection string"};
  c.target_library = "/x/lib" + driver + ".so";
  c.target_string.set("DRIVER", driver);
  c.target_string.set("Database", database);
  return c;
}

// The OdbcError a guard throws, as "SQLSTATE: message".
std::string guard_error(const ConnectConfig& config) {
  try {
    ConnectChainGuard guard(config);
  } catch (const OdbcError& e) {
    return e.sqlstate() + ": " + e.what();
  }
  return "no error";
}

::testing::AssertionResult contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "'" << haystack << "' does not contain '" << needle << "'";
}

TEST(ConnectChainGuard, NestedConnectsOfOtherDsnsPass) {
  const ConnectConfig a = pooled_dsn("A", "B");
  const ConnectConfig b = pooled_dsn("B", "C");
  ConnectChainGuard outer(a);
  ConnectChainGuard inner(b);
  EXPECT_EQ(guard_error(pooled_dsn("C", "real")), "no error");
}

TEST(ConnectChainGuard, ADsnReenteredOnTheSameThreadIsRefusedNamingTheChain) {
  const ConnectConfig a = pooled_dsn("A", "B");
  const ConnectConfig b = pooled_dsn("B", "A");
  ConnectChainGuard outer(a);
  ConnectChainGuard inner(b);
  const std::string e = guard_error(pooled_dsn("a", "B"));
  EXPECT_TRUE(contains(e, "HY000: the DSN chain loops: A -> B -> a (found at run time)"));
  EXPECT_TRUE(contains(e, "A has TargetDSN=B in odbc.ini [A]"));
  EXPECT_TRUE(contains(e, "B has TargetDSN=A in odbc.ini [B]"));
  // The chain starts at the DSN that came back.
  EXPECT_TRUE(contains(guard_error(pooled_dsn("B", "A")), "the DSN chain loops: B -> B"));
}

TEST(ConnectChainGuard, TheSameDsnAgainAfterTheConnectEndedPasses) {
  const ConnectConfig a = pooled_dsn("A", "B");
  { ConnectChainGuard first(a); }
  std::optional<ConnectChainGuard> second;
  EXPECT_NO_THROW(second.emplace(a));
  // A refused connect leaves the chain as it was.
  EXPECT_NE(guard_error(a), "no error");
  second.reset();
  EXPECT_EQ(guard_error(a), "no error");
}

TEST(ConnectChainGuard, AnotherThreadConnectingTheSameDsnIsNoLoop) {
  const ConnectConfig a = pooled_dsn("A", "B");
  ConnectChainGuard held(a);
  std::string other;
  std::thread([&] { other = guard_error(a); }).join();
  EXPECT_EQ(other, "no error");
}

TEST(ConnectChainGuard, DsnLessConnectsAreTheSameLinkOnlyForTheSameTarget) {
  const ConnectConfig x = dsn_less("Fault", "one");
  ConnectChainGuard held(x);
  EXPECT_EQ(guard_error(dsn_less("Fault", "two")), "no error");
  EXPECT_EQ(guard_error(pooled_dsn("A", "B")), "no error");
  EXPECT_TRUE(contains(guard_error(dsn_less("Fault", "one")),
                       "the DSN chain loops: (connection string) -> (connection string)"));
}

}  // namespace
}  // namespace odbcpool
