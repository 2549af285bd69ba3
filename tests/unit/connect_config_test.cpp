// Resolving a connect: where each of odbcpool's settings comes from, which
// library and connection string the target gets, and the errors and
// warnings a broken configuration gives.
#include "connect_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "connect_chain.h"
#include "errors.h"

namespace odbcpool {
namespace {

// odbc.ini and odbcinst.ini in memory. Section names are looked up
// case-insensitively, as unixODBC does.
class FakeIni final : public IniReader {
 public:
  FakeIni& dsn(const std::string& name, IniSection keys) {
    dsns_[to_lower(name)] = std::move(keys);
    return *this;
  }
  FakeIni& driver(const std::string& name, IniSection keys) {
    drivers_[to_lower(name)] = std::move(keys);
    return *this;
  }

  IniSection dsn_section(const std::string& dsn) override {
    dsn_lookups.push_back(dsn);
    auto it = dsns_.find(to_lower(dsn));
    return it == dsns_.end() ? IniSection{} : it->second;
  }
  IniSection driver_section(const std::string& driver) override {
    driver_lookups.push_back(driver);
    auto it = drivers_.find(to_lower(driver));
    return it == drivers_.end() ? IniSection{} : it->second;
  }
  std::string dsn_files() const override { return "/home/app/.odbc.ini and /etc/odbc.ini"; }
  std::string driver_file() const override { return "/etc/odbcinst.ini"; }

  std::vector<std::string> dsn_lookups;
  std::vector<std::string> driver_lookups;

 private:
  std::map<std::string, IniSection> dsns_;
  std::map<std::string, IniSection> drivers_;
};

const char* const kPsqlW = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";
const char* const kPsqlW32 = "/usr/lib/i386-linux-gnu/odbc/psqlodbcw.so";
const char* const kSqlite = "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so";

// The setup of DESIGN.md section 2.
FakeIni design_example() {
  FakeIni ini;
  ini.driver("odbcpool", {{"Description", "Connection-pooling ODBC driver"},
                          {"Driver", "/usr/lib/x86_64-linux-gnu/odbc/libodbcpool.so"},
                          {"Setup", "/usr/lib/x86_64-linux-gnu/odbc/libodbcpoolS.so"},
                          {"LogLevel", "info"},
                          {"LogFile", "syslog"},
                          {"UsageCount", "1"}});
  ini.driver("PostgreSQL Unicode", {{"Description", "PostgreSQL ODBC driver (Unicode)"},
                                    {"Driver", kPsqlW},
                                    {"Setup", "libodbcpsqlS.so"}});
  ini.dsn("orders_direct",
          {{"Driver", "PostgreSQL Unicode"}, {"Servername", "db1"}, {"Database", "orders"}});
  ini.dsn("orders", {{"Driver", "odbcpool"},
                     {"Description", "pooled orders"},
                     {"TargetDSN", "orders_direct"},
                     {"PoolMaxSize", "20"},
                     {"PoolAcquireTimeout", "5s"}});
  return ini;
}

ConnectConfig resolve(const std::string& connection_string, FakeIni& ini) {
  return resolve_connect(ConnectionString::parse(connection_string), ini);
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs target_pairs(const ConnectConfig& c) {
  Pairs out;
  for (const auto& e : c.target_string.entries()) out.emplace_back(e.key, e.value);
  return out;
}

// The OdbcError resolving throws, as "SQLSTATE: message".
std::string resolve_error(const std::string& connection_string, FakeIni& ini) {
  try {
    resolve(connection_string, ini);
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

// ---- TargetDSN

TEST(ResolveConnect, TargetDsnResolvesThroughItsDriverName) {
  FakeIni ini = design_example();
  const ConnectConfig c = resolve("DSN=orders;UID=bob;PWD=secret", ini);
  EXPECT_EQ(c.dsn, "orders");
  EXPECT_EQ(c.target_library, kPsqlW);
  // The target reads its own DSN's keys (Servername, ...) itself.
  EXPECT_EQ(target_pairs(c), (Pairs{{"DSN", "orders_direct"}, {"UID", "bob"}, {"PWD", "secret"}}));
  EXPECT_TRUE(contains(c.target_description, "orders_direct"));
  EXPECT_TRUE(contains(c.target_description, "PostgreSQL Unicode"));
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ResolveConnect, Driver64IsPreferredToDriver) {
  FakeIni ini = design_example();
  ini.driver("PostgreSQL Unicode", {{"Driver", kPsqlW32}, {"Driver64", kPsqlW}});
  EXPECT_EQ(resolve("DSN=orders", ini).target_library, kPsqlW);
}

TEST(ResolveConnect, AnEmptyDriver64FallsBackToDriver) {
  FakeIni ini = design_example();
  ini.driver("PostgreSQL Unicode", {{"Driver64", ""}, {"Driver", kPsqlW}});
  EXPECT_EQ(resolve("DSN=orders", ini).target_library, kPsqlW);
}

TEST(ResolveConnect, DriverNamesAndKeysAreCaseInsensitive) {
  FakeIni ini;
  ini.driver("PostgreSQL Unicode", {{"DRIVER", kPsqlW}});
  ini.dsn("direct", {{"driver", "postgresql unicode"}});
  ini.dsn("pooled", {{"DRIVER", "odbcpool"}, {"targetdsn", "direct"}});
  const ConnectConfig c = resolve("dsn=pooled", ini);
  EXPECT_EQ(c.target_library, kPsqlW);
  ASSERT_NE(c.find("targetdsn"), nullptr);
  EXPECT_EQ(c.find("targetdsn")->value, "direct");
}

TEST(ResolveConnect, ATargetDsnWhoseDriverIsAPathNeedsNoOdbcinstEntry) {
  FakeIni ini;
  ini.dsn("direct", {{"Driver", kSqlite}, {"Database", "/tmp/x.db"}});
  ini.dsn("pooled", {{"Driver", "odbcpool"}, {"TargetDSN", "direct"}});
  const ConnectConfig c = resolve("DSN=pooled", ini);
  EXPECT_EQ(c.target_library, kSqlite);
  for (const auto& looked_up : ini.driver_lookups) EXPECT_NE(looked_up, kSqlite);
}

TEST(ResolveConnect, DsnLessWithTargetDsn) {
  FakeIni ini = design_example();
  const ConnectConfig c = resolve("DRIVER={odbcpool};TargetDSN=orders_direct;UID=bob", ini);
  EXPECT_EQ(c.dsn, "");
  EXPECT_EQ(c.target_library, kPsqlW);
  EXPECT_EQ(target_pairs(c), (Pairs{{"DSN", "orders_direct"}, {"UID", "bob"}}));
}

// ---- TargetDriver

TEST(ResolveConnect, TargetDriverByName) {
  FakeIni ini = design_example();
  const ConnectConfig c = resolve(
      "DRIVER={odbcpool};TargetDriver={PostgreSQL Unicode};Servername=db1;Database=orders;"
      "PoolMaxSize=5",
      ini);
  EXPECT_EQ(c.dsn, "");
  EXPECT_EQ(c.target_library, kPsqlW);
  EXPECT_EQ(
      target_pairs(c),
      (Pairs{{"DRIVER", "PostgreSQL Unicode"}, {"Servername", "db1"}, {"Database", "orders"}}));
  EXPECT_TRUE(contains(c.target_description, "PostgreSQL Unicode"));
  // The target connection string quotes what needs it.
  EXPECT_EQ(c.target_string.to_string(),
            "DRIVER=PostgreSQL Unicode;Servername=db1;Database=orders;");
}

TEST(ResolveConnect, TargetDriverByPath) {
  FakeIni ini;
  const ConnectConfig c = resolve(
      std::string("DRIVER={odbcpool};TargetDriver=") + kSqlite + ";Database=/tmp/t.db", ini);
  EXPECT_EQ(c.target_library, kSqlite);
  EXPECT_EQ(target_pairs(c), (Pairs{{"DRIVER", kSqlite}, {"Database", "/tmp/t.db"}}));
}

TEST(ResolveConnect, TargetDriverInTheDsnSection) {
  FakeIni ini = design_example();
  ini.dsn("orders", {{"Driver", "odbcpool"},
                     {"TargetDriver", "PostgreSQL Unicode"},
                     {"Servername", "db1"},
                     {"Database", "orders"},
                     {"PoolMaxSize", "20"}});
  const ConnectConfig c = resolve("DSN=orders;UID=bob;PWD={p;w}", ini);
  EXPECT_EQ(c.target_library, kPsqlW);
  EXPECT_EQ(target_pairs(c), (Pairs{{"DRIVER", "PostgreSQL Unicode"},
                                    {"UID", "bob"},
                                    {"PWD", "p;w"},
                                    {"Servername", "db1"},
                                    {"Database", "orders"}}));
}

// ---- precedence and sources

TEST(ResolveConnect, ConnectionStringBeatsDsnSectionBeatsDriverSection) {
  FakeIni ini = design_example();
  ini.driver("odbcpool", {{"PoolMaxSize", "50"}, {"PoolMinIdle", "2"}, {"LogLevel", "info"}});
  ini.dsn("orders", {{"Driver", "odbcpool"},
                     {"TargetDSN", "orders_direct"},
                     {"PoolMaxSize", "20"},
                     {"PoolMinIdle", "1"}});
  const ConnectConfig c = resolve("DSN=orders;poolmaxsize=5", ini);

  const ConfigValue* max = c.find("poolmaxsize");
  ASSERT_NE(max, nullptr);
  EXPECT_EQ(max->value, "5");
  EXPECT_EQ(max->source, ConfigSource::ConnectionString);
  EXPECT_EQ(max->where, "the connection string");

  const ConfigValue* min = c.find("poolminidle");
  ASSERT_NE(min, nullptr);
  EXPECT_EQ(min->value, "1");
  EXPECT_EQ(min->source, ConfigSource::DsnSection);
  EXPECT_EQ(min->where, "odbc.ini [orders]");

  const ConfigValue* log = c.find("loglevel");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->value, "info");
  EXPECT_EQ(log->source, ConfigSource::DriverSection);
  EXPECT_EQ(log->where, "odbcinst.ini [odbcpool]");

  EXPECT_EQ(c.find("poolidletimeout"), nullptr);  // left to the built-in default
  const ConfigValue* target = c.find("targetdsn");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->source, ConfigSource::DsnSection);
}

TEST(ResolveConnect, ATargetInTheDriverSectionIsADefaultForEveryDsn) {
  FakeIni ini = design_example();
  ini.driver("odbcpool", {{"TargetDriver", "PostgreSQL Unicode"}});
  const ConnectConfig c = resolve("DRIVER=odbcpool;Servername=db2", ini);
  EXPECT_EQ(c.target_library, kPsqlW);
  EXPECT_EQ(c.find("targetdriver")->source, ConfigSource::DriverSection);
}

TEST(ResolveConnect, PassThroughKeysFollowTheSamePrecedence) {
  FakeIni ini = design_example();
  ini.dsn("orders", {{"Driver", "odbcpool"},
                     {"TargetDriver", "PostgreSQL Unicode"},
                     {"Servername", "from-dsn"},
                     {"Port", "5433"}});
  const ConnectConfig c = resolve("DSN=orders;SERVERNAME=from-app", ini);
  EXPECT_EQ(
      target_pairs(c),
      (Pairs{{"DRIVER", "PostgreSQL Unicode"}, {"SERVERNAME", "from-app"}, {"Port", "5433"}}));
}

TEST(ResolveConnect, MetaAndOwnKeysAreNeverPassedToTheTarget) {
  FakeIni ini = design_example();
  ini.dsn("orders", {{"Driver", "odbcpool"},
                     {"Description", "pooled"},
                     {"TargetDriver", "PostgreSQL Unicode"},
                     {"Pooling", "yes"},
                     {"PoolValidation", "query"},
                     {"LogFile", "/tmp/log"},
                     {"MetricsFile", "/tmp/m.prom"},
                     {"Servername", "db1"}});
  const ConnectConfig c = resolve(
      "DSN=orders;FILEDSN=/tmp/x.dsn;SAVEFILE=/tmp/y.dsn;PoolMaxSize=3;LogLevel=debug;UID=u", ini);
  EXPECT_EQ(target_pairs(c),
            (Pairs{{"DRIVER", "PostgreSQL Unicode"}, {"UID", "u"}, {"Servername", "db1"}}));
}

TEST(ResolveConnect, TheDriverSectionPassesNothingThrough) {
  FakeIni ini = design_example();
  ini.driver("odbcpool", {{"Driver", "/x/libodbcpool.so"},
                          {"Setup", "/x/libodbcpoolS.so"},
                          {"Servername", "never"},
                          {"UsageCount", "1"},
                          {"Threading", "0"}});
  const ConnectConfig c = resolve("DSN=orders", ini);
  EXPECT_EQ(target_pairs(c), (Pairs{{"DSN", "orders_direct"}}));
}

// ---- warnings

TEST(ResolveConnect, UnknownPoolKeysWarnNamingKeyAndWhere) {
  FakeIni ini = design_example();
  ini.driver("odbcpool", {{"PoolMaxSzie", "1"}});
  ini.dsn("orders",
          {{"Driver", "odbcpool"}, {"TargetDSN", "orders_direct"}, {"PoolIdleTimout", "5m"}});
  const ConnectConfig c = resolve("DSN=orders;PoolAquireTimeout=1s;Foo=bar", ini);
  ASSERT_EQ(c.warnings.size(), 3u);
  std::vector<std::string> messages;
  for (const auto& w : c.warnings) {
    EXPECT_EQ(w.sqlstate, "01S00");
    EXPECT_TRUE(w.is_warning());
    EXPECT_EQ(w.message.rfind("[odbcpool] ", 0), 0u) << w.message;
    messages.push_back(w.message);
  }
  const auto has = [&](const std::string& key, const std::string& where) {
    return std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
      return m.find(key) != std::string::npos && m.find(where) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("PoolAquireTimeout", "the connection string"));
  EXPECT_TRUE(has("PoolIdleTimout", "odbc.ini [orders]"));
  EXPECT_TRUE(has("PoolMaxSzie", "odbcinst.ini [odbcpool]"));
  // Unknown Pool* keys are not passed to the target; other unknown keys are.
  EXPECT_EQ(target_pairs(c), (Pairs{{"DSN", "orders_direct"}, {"Foo", "bar"}}));
  EXPECT_EQ(c.find("poolaquiretimeout"), nullptr);
}

TEST(ResolveConnect, KnownKeysInAnyCaseGiveNoWarning) {
  FakeIni ini = design_example();
  const ConnectConfig c = resolve(
      "DSN=orders;POOLING=yes;poolkeepalive=0;PoolLeakThreshold=10s;METRICSINTERVAL=5s", ini);
  EXPECT_TRUE(c.warnings.empty());
}

// ---- errors

TEST(ResolveConnect, NoTargetIsIm002) {
  FakeIni ini = design_example();
  ini.dsn("bare", {{"Driver", "odbcpool"}, {"PoolMaxSize", "3"}});
  const std::string in_dsn = resolve_error("DSN=bare", ini);
  EXPECT_TRUE(contains(in_dsn, "IM002: "));
  EXPECT_TRUE(contains(in_dsn, "TargetDSN"));
  EXPECT_TRUE(contains(in_dsn, "TargetDriver"));
  EXPECT_TRUE(contains(in_dsn, "odbc.ini [bare]"));
  const std::string dsn_less = resolve_error("DRIVER={odbcpool};Servername=x", ini);
  EXPECT_TRUE(contains(dsn_less, "IM002: "));
  EXPECT_TRUE(contains(dsn_less, "connection string"));
}

TEST(ResolveConnect, AnEmptyTargetCountsAsNone) {
  FakeIni ini = design_example();
  EXPECT_TRUE(contains(resolve_error("DRIVER=odbcpool;TargetDSN=;TargetDriver=", ini), "IM002: "));
  const ConnectConfig c =
      resolve(std::string("DRIVER=odbcpool;TargetDSN=;TargetDriver=") + kSqlite, ini);
  EXPECT_EQ(c.target_library, kSqlite);
}

TEST(ResolveConnect, BothTargetsIsHy000NamingBothSources) {
  FakeIni ini = design_example();
  const std::string error = resolve_error("DSN=orders;TargetDriver={PostgreSQL Unicode}", ini);
  EXPECT_TRUE(contains(error, "HY000: "));
  EXPECT_TRUE(contains(error, "odbc.ini [orders]"));
  EXPECT_TRUE(contains(error, "the connection string"));
}

TEST(ResolveConnect, UnknownTargetDsnIsIm002NamingTheFiles) {
  FakeIni ini = design_example();
  const std::string error = resolve_error("DRIVER=odbcpool;TargetDSN=nowhere", ini);
  EXPECT_TRUE(contains(error, "IM002: "));
  EXPECT_TRUE(contains(error, "'nowhere'"));
  EXPECT_TRUE(contains(error, "/home/app/.odbc.ini and /etc/odbc.ini"));
}

TEST(ResolveConnect, ATargetDsnWithoutADriverIsIm002) {
  FakeIni ini = design_example();
  ini.dsn("driverless", {{"Servername", "db1"}});
  EXPECT_TRUE(contains(resolve_error("DRIVER=odbcpool;TargetDSN=driverless", ini), "IM002: "));
}

TEST(ResolveConnect, AnUnregisteredDriverIsIm002NamingOdbcinst) {
  FakeIni ini = design_example();
  const std::string by_driver = resolve_error("DRIVER=odbcpool;TargetDriver=Oracle 23", ini);
  EXPECT_TRUE(contains(by_driver, "IM002: "));
  EXPECT_TRUE(contains(by_driver, "'Oracle 23'"));
  EXPECT_TRUE(contains(by_driver, "/etc/odbcinst.ini"));
  ini.dsn("ora", {{"Driver", "Oracle 23"}});
  const std::string by_dsn = resolve_error("DRIVER=odbcpool;TargetDSN=ora", ini);
  EXPECT_TRUE(contains(by_dsn, "IM002: "));
  EXPECT_TRUE(contains(by_dsn, "'Oracle 23'"));
  EXPECT_TRUE(contains(by_dsn, "TargetDSN 'ora'"));
}

TEST(ResolveConnect, ARegisteredDriverWithoutALibraryIsIm002) {
  FakeIni ini = design_example();
  ini.driver("Half", {{"Description", "no Driver= line"}});
  EXPECT_TRUE(contains(resolve_error("DRIVER=odbcpool;TargetDriver=Half", ini), "IM002: "));
}

TEST(ResolveConnect, ATargetDsnNamingThePooledDsnItselfIsRefused) {
  FakeIni ini = design_example();
  ini.dsn("loop", {{"Driver", "odbcpool"}, {"TargetDSN", "LOOP"}});
  const std::string error = resolve_error("DSN=loop", ini);
  EXPECT_TRUE(contains(error, "HY000: "));
  EXPECT_TRUE(contains(error, "itself"));
  EXPECT_TRUE(contains(error, "the DSN chain loops: loop -> LOOP"));
  EXPECT_TRUE(contains(error, "loop has TargetDSN=LOOP in odbc.ini [loop]"));
}

TEST(ResolveConnect, AnUnknownDsnIsIm002UnlessADriverIsGiven) {
  FakeIni ini = design_example();
  const std::string error = resolve_error("DSN=missing", ini);
  EXPECT_TRUE(contains(error, "IM002: "));
  EXPECT_TRUE(contains(error, "'missing'"));
  EXPECT_TRUE(contains(error, "/etc/odbc.ini"));
  const ConnectConfig c =
      resolve(std::string("DSN=missing;DRIVER=odbcpool;TargetDriver=") + kSqlite, ini);
  EXPECT_EQ(c.dsn, "missing");
  EXPECT_EQ(c.target_library, kSqlite);
}

// ---- chains through odbcpool

// A stand-in for libodbcpool.so: an empty file that OwnLibrary recognizes by
// its identity, with a symlink and a second path to it.
class Chain : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/odbcpool-chain-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    own_path_ = dir_ + "/libodbcpool.so";
    std::ofstream(own_path_).put('\n');
    symlink_ = dir_ + "/odbcpool-link.so";
    ASSERT_EQ(::symlink(own_path_.c_str(), symlink_.c_str()), 0);
    own_ = std::make_unique<OwnLibrary>(own_path_);
    ini_ = design_example();
    ini_.driver("odbcpool", {{"Driver", own_path_}});
  }
  void TearDown() override {
    ::unlink(symlink_.c_str());
    ::unlink(own_path_.c_str());
    ::rmdir(dir_.c_str());
  }

  // A DSN through odbcpool to `target`.
  void pooled(const std::string& name, const std::string& target) {
    ini_.dsn(name, {{"Driver", "odbcpool"}, {"TargetDSN", target}});
  }
  ConnectConfig resolve(const std::string& text) {
    return resolve_connect(ConnectionString::parse(text), ini_, *own_);
  }
  std::string error(const std::string& text) {
    try {
      resolve(text);
    } catch (const OdbcError& e) {
      return e.sqlstate() + ": " + e.what();
    }
    return "no error";
  }

  std::string dir_;
  std::string own_path_;
  std::string symlink_;
  std::unique_ptr<OwnLibrary> own_;
  FakeIni ini_;
};

TEST_F(Chain, OwnLibraryIsRecognizedByFileIdentity) {
  EXPECT_TRUE(own_->is(own_path_));
  EXPECT_TRUE(own_->is(symlink_));
  EXPECT_TRUE(own_->is(dir_ + "/../" + dir_.substr(dir_.rfind('/') + 1) + "/libodbcpool.so"));
  EXPECT_FALSE(own_->is(kSqlite));
  EXPECT_FALSE(own_->is(dir_ + "/missing.so"));
  EXPECT_FALSE(own_->is(""));
  EXPECT_FALSE(OwnLibrary(dir_ + "/missing.so").is(dir_ + "/missing.so"));
}

TEST_F(Chain, ATwoStepLoopIsRefusedNamingTheChainAndWhereEachLinkComesFrom) {
  pooled("A", "B");
  pooled("B", "A");
  const std::string e = error("DSN=A;UID=bob;PWD=secret");
  EXPECT_TRUE(contains(e, "HY000: the DSN chain loops: A -> B -> A"));
  EXPECT_TRUE(contains(e, "A has TargetDSN=B in odbc.ini [A]"));
  EXPECT_TRUE(contains(e, "B has TargetDSN=A in odbc.ini [B]"));
  EXPECT_TRUE(contains(e, "/etc/odbc.ini"));
  EXPECT_FALSE(contains(e, "secret"));
}

TEST_F(Chain, AThreeStepLoopIsRefused) {
  pooled("A", "B");
  pooled("B", "C");
  pooled("C", "a");
  EXPECT_TRUE(contains(error("DSN=A"), "HY000: the DSN chain loops: A -> B -> C -> a:"));
}

TEST_F(Chain, ALoopThatDoesNotComeBackToTheFirstDsnIsRefused) {
  pooled("A", "B");
  pooled("B", "C");
  pooled("C", "B");
  EXPECT_TRUE(contains(error("DSN=A"), "HY000: the DSN chain loops: A -> B -> C -> B:"));
}

TEST_F(Chain, ADsnLessConnectIntoALoopIsRefused) {
  pooled("A", "B");
  pooled("B", "A");
  const std::string e = error("DRIVER={odbcpool};TargetDSN=A");
  EXPECT_TRUE(contains(e, "the DSN chain loops: (connection string) -> A -> B -> A"));
  EXPECT_TRUE(contains(e, "(connection string) has TargetDSN=A in the connection string"));
}

TEST_F(Chain, ATargetDriverThatIsOdbcpoolsOwnLibraryIsRefused) {
  for (const std::string& driver : {own_path_, symlink_, std::string("odbcpool")}) {
    SCOPED_TRACE(driver);
    ini_.dsn("P", {{"Driver", "odbcpool"}, {"TargetDriver", driver}});
    const std::string e = error("DSN=P");
    EXPECT_TRUE(contains(e, "HY000: the DSN chain loops: P -> odbcpool"));
    EXPECT_TRUE(contains(e, "odbcpool's own library"));
    EXPECT_TRUE(contains(e, "P has TargetDriver=" + driver + " in odbc.ini [P]"));
  }
  // Under a name of its own in odbcinst.ini, and DSN-less.
  ini_.driver("Pool Again", {{"Driver", symlink_}});
  EXPECT_TRUE(contains(error("DRIVER={odbcpool};TargetDriver={Pool Again}"),
                       "the DSN chain loops: (connection string) -> odbcpool"));
}

TEST_F(Chain, ATargetDriverOfOdbcpoolAtTheEndOfAChainIsRefused) {
  pooled("A", "B");
  ini_.dsn("B", {{"Driver", "odbcpool"}, {"TargetDriver", "odbcpool"}});
  EXPECT_TRUE(contains(error("DSN=A"), "the DSN chain loops: A -> B -> odbcpool"));
}

TEST_F(Chain, AChainThroughOdbcpoolToARealDriverResolvesAsBefore) {
  pooled("A", "B");
  pooled("B", "orders_direct");
  const ConnectConfig c = resolve("DSN=A;UID=bob");
  EXPECT_EQ(c.dsn, "A");
  EXPECT_EQ(c.target_library, own_path_);
  EXPECT_EQ(target_pairs(c), (Pairs{{"DSN", "B"}, {"UID", "bob"}}));
}

TEST_F(Chain, ALaterLinkThatDoesNotResolveIsLeftToItsOwnConnect) {
  pooled("A", "B");
  ini_.dsn("B", {{"Driver", "odbcpool"}});  // no target: B's own connect says so
  EXPECT_EQ(resolve("DSN=A").target_library, own_path_);
}

TEST_F(Chain, TwoDsnsOfTheSameRealDriverAreNoLoop) {
  pooled("A", "orders_direct");
  pooled("B", "A");
  EXPECT_EQ(resolve("DSN=B").target_library, own_path_);
  EXPECT_EQ(resolve("DSN=A").target_library, kPsqlW);
}

// ---- the key catalogue

TEST(ConnectConfig, OwnKeysCoverTheDocumentedKeys) {
  const char* const documented[] = {"TargetDSN",
                                    "TargetDriver",
                                    "Pooling",
                                    "PoolMaxSize",
                                    "PoolMinIdle",
                                    "PoolAcquireTimeout",
                                    "PoolIdleTimeout",
                                    "PoolMaxLifetime",
                                    "PoolValidation",
                                    "PoolValidationQuery",
                                    "PoolValidationBypass",
                                    "PoolValidationTimeout",
                                    "PoolKeepalive",
                                    "PoolResetOnReturn",
                                    "PoolResetStatement",
                                    "PoolInitStatement",
                                    "PoolLeakThreshold",
                                    "LogLevel",
                                    "LogFile",
                                    "MetricsFile",
                                    "MetricsInterval"};
  const auto& keys = own_keys();
  for (const char* key : documented) {
    EXPECT_TRUE(is_own_key(key)) << key;
    EXPECT_NE(std::find(keys.begin(), keys.end(), to_lower(key)), keys.end()) << key;
  }
  for (const auto& key : keys) EXPECT_EQ(key, to_lower(key));
  for (const char* other : {"DSN", "Driver", "UID", "PWD", "Servername", "Pool", "PoolMax", ""}) {
    EXPECT_FALSE(is_own_key(other)) << other;
  }
}

TEST(ConnectConfig, DescribeNamesEachSource) {
  EXPECT_EQ(describe(ConfigSource::ConnectionString), "connection string");
  EXPECT_EQ(describe(ConfigSource::DsnSection), "odbc.ini");
  EXPECT_EQ(describe(ConfigSource::DriverSection), "odbcinst.ini");
  EXPECT_EQ(describe(ConfigSource::Default), "default");
  EXPECT_EQ(ConfigValue{}.source, ConfigSource::Default);
}

TEST(ConnectConfig, FindValueIsCaseInsensitiveAndTakesTheFirst) {
  const IniSection section = {{"Driver", "a"}, {"DRIVER", "b"}, {"Setup", "c"}};
  ASSERT_NE(find_value(section, "driver"), nullptr);
  EXPECT_EQ(*find_value(section, "driver"), "a");
  EXPECT_EQ(find_value(section, "Driver64"), nullptr);
  EXPECT_EQ(find_value({}, "Driver"), nullptr);
}

// ---- long values in messages (issue 10)

// A message that echoes a value shows its start and its size, never the
// whole 100 KB, and never a NUL.
TEST(ResolveConnect, MessagesShortenLongValues) {
  FakeIni ini = design_example();
  const std::string huge(100 * 1024, 'd');
  for (const std::string& text : {"DSN=" + huge, "TargetDSN=" + huge, "TargetDriver=" + huge,
                                  "DRIVER={odbcpool};TargetDSN=orders_direct;Pool" + huge + "=1"}) {
    std::string message;
    try {
      const ConnectConfig c = resolve(text, ini);
      ASSERT_FALSE(c.warnings.empty()) << text.substr(0, 40);
      message = c.warnings.front().message;
    } catch (const OdbcError& e) {
      message = e.what();
    }
    EXPECT_LT(message.size(), 600u) << message.substr(0, 600);
    EXPECT_TRUE(contains(message, " bytes)"));
  }
}

TEST(ResolveConnect, MessagesShowANulEscaped) {
  FakeIni ini = design_example();
  ConnectionString cs;
  cs.set("TargetDSN", std::string("ord\0ers", 7));
  try {
    resolve_connect(cs, ini);
    FAIL() << "no error";
  } catch (const OdbcError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\0'), std::string::npos);
    EXPECT_TRUE(contains(message, "ord\\x00ers"));
  }
}

}  // namespace
}  // namespace odbcpool
