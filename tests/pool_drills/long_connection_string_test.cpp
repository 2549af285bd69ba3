// Long connection strings through the unixODBC Driver Manager (issue 10):
// values and key names of 32 KB to 100 KB in front of a key that must still
// take effect. psqlODBC's SQLDriverConnect takes any length with SQL_NTS;
// its SQLDriverConnectW carries the converted length in a SQLSMALLINT, so a
// wide connect longer than 32767 bytes is refused by odbcpool with an error
// naming the limit instead of being cut (or crashing psqlODBC).
//
// The test server has no SSL: SSLmode=require after the padding must fail
// with 08001, as it does straight through psqlODBC. ConnSettings after the
// padding must set application_name. Every TEST is its own ctest case, so
// a crash fails that case rather than losing the run.
#include <gtest/gtest.h>
#include <sql.h>
#include <sqlext.h>

#include <ostream>
#include <string>
#include <vector>

#include "drill_support.h"

namespace {

using drills::DiagRecord;

constexpr std::size_t kWideLimit = 32767;

struct Attempt {
  SQLRETURN rc = SQL_ERROR;
  std::vector<DiagRecord> records;
  SQLSMALLINT out_length = -1;
  std::string describe() const {
    return "rc=" + std::to_string(rc) + " " + drills::describe(records);
  }
  bool has(const std::string& sqlstate) const {
    for (const auto& r : records) {
      if (r.sqlstate == sqlstate) return true;
    }
    return false;
  }
};

std::basic_string<SQLWCHAR> widen(const std::string& ascii) {
  return std::basic_string<SQLWCHAR>(ascii.begin(), ascii.end());
}

// One connection handle on its own environment; the destructor disconnects.
class Dbc {
 public:
  Dbc() : dbc_(SQL_NULL_HDBC) {
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env_.get(), &dbc_))) {
      throw std::runtime_error("SQLAllocHandle(DBC) failed");
    }
  }
  ~Dbc() {
    if (connected_) SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  }
  Dbc(const Dbc&) = delete;
  Dbc& operator=(const Dbc&) = delete;

  // SQL_NTS, as pyodbc and most applications pass it; no output buffer but
  // a length, so that a 01004 can only be about something else.
  Attempt connect_ansi(const std::string& text, SQLCHAR* out = nullptr, SQLSMALLINT cap = 0) {
    std::string in = text;
    Attempt a;
    a.rc = SQLDriverConnect(dbc_, nullptr, reinterpret_cast<SQLCHAR*>(in.data()), SQL_NTS, out, cap,
                            &a.out_length, SQL_DRIVER_NOPROMPT);
    return finish(a);
  }
  Attempt connect_wide(const std::string& text) {
    std::basic_string<SQLWCHAR> in = widen(text);
    Attempt a;
    a.rc = SQLDriverConnectW(dbc_, nullptr, in.data(), SQL_NTS, nullptr, 0, &a.out_length,
                             SQL_DRIVER_NOPROMPT);
    return finish(a);
  }

  std::string application_name() {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt))) return "<no statement>";
    std::string result = "<no row>";
    SQLCHAR sql[] = "SELECT current_setting('application_name')";
    if (SQL_SUCCEEDED(SQLExecDirect(stmt, sql, SQL_NTS)) && SQL_SUCCEEDED(SQLFetch(stmt))) {
      char buffer[256] = {};
      SQLLEN indicator = 0;
      if (SQL_SUCCEEDED(SQLGetData(stmt, 1, SQL_C_CHAR, buffer, sizeof buffer, &indicator))) {
        result = buffer;
      }
    }
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return result;
  }

 private:
  Attempt& finish(Attempt& a) {
    if (a.rc != SQL_SUCCESS) a.records = drills::diagnostics(SQL_HANDLE_DBC, dbc_);
    connected_ = SQL_SUCCEEDED(a.rc);
    return a;
  }

  drills::Env env_;
  SQLHDBC dbc_;
  bool connected_ = false;
};

enum class Shape { Value, KeyName };

struct Case {
  std::size_t bytes;
  Shape shape;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.bytes << " bytes of " << (c.shape == Shape::Value ? "value" : "key name");
}

std::string padding(const Case& c) {
  if (c.shape == Shape::Value) return "Padding=" + std::string(c.bytes, 'x');
  return std::string(c.bytes, 'K') + "=1";
}

std::string name_of(const ::testing::TestParamInfo<Case>& info) {
  return std::to_string(info.param.bytes / 1024) + "KB_" +
         (info.param.shape == Shape::Value ? "value" : "key");
}

const std::vector<Case> kLong = {
    {32 * 1024, Shape::Value},   {40 * 1024, Shape::Value},    {66 * 1024, Shape::Value},
    {100 * 1024, Shape::Value},  {32 * 1024, Shape::KeyName},  {40 * 1024, Shape::KeyName},
    {66 * 1024, Shape::KeyName}, {100 * 1024, Shape::KeyName},
};

std::string pooled(const std::string& rest) {
  return std::string("DSN=") + drills::kPooledDsn + ";" + rest;
}
std::string direct(const std::string& rest) {
  return std::string("DSN=") + drills::kDirectDsn + ";" + rest;
}

// DSN-less, naming the target driver: the other way in.
std::string dsn_less(const std::string& rest) {
  return "DRIVER={odbcpool};TargetDriver={PostgreSQL Unicode};Servername=127.0.0.1;Port=" +
         drills::env_required("ODBCPOOL_TEST_PG_PORT") +
         ";Database=odbcpool_test;UID=odbcpool;PWD=odbcpool-secret;" + rest;
}

void expect_ssl_refused(const Attempt& a, const std::string& how) {
  EXPECT_EQ(a.rc, SQL_ERROR) << how << ": " << a.describe();
  EXPECT_TRUE(a.has("08001")) << how << ": " << a.describe();
}

class LongAnsi : public ::testing::TestWithParam<Case> {};

// The key after the padding reaches psqlODBC: the same 08001 as straight
// through psqlODBC, compared in the same test.
TEST_P(LongAnsi, KeyAfterPaddingTakesEffect) {
  const std::string rest = padding(GetParam()) + ";SSLmode=require";
  {
    Dbc straight;
    expect_ssl_refused(straight.connect_ansi(direct(rest)), "psqlODBC directly");
  }
  {
    Dbc through;
    expect_ssl_refused(through.connect_ansi(pooled(rest)), "through odbcpool (DSN)");
  }
  {
    Dbc through;
    expect_ssl_refused(through.connect_ansi(dsn_less(rest)), "through odbcpool (DSN-less)");
  }
}

// A key after the padding that must be applied on success. The completed
// string (the application's own, whole) cannot fit the largest buffer a
// SQLSMALLINT can describe: 01004 is about that buffer, and the length is
// the most a SQLSMALLINT can say, never a negative or wrapped one. (With no
// buffer at all, the Driver Manager passes one of its own, 2048 bytes.)
TEST_P(LongAnsi, SettingAfterPaddingIsApplied) {
  const std::string app = drills::app_name("longstr_a" + std::to_string(GetParam().bytes) +
                                           (GetParam().shape == Shape::Value ? "v" : "k"));
  const std::string text =
      pooled(padding(GetParam()) + ";ConnSettings=SET application_name='" + app + "'");
  Dbc through;
  std::string out(32767, '\0');
  const Attempt a = through.connect_ansi(text, reinterpret_cast<SQLCHAR*>(out.data()), 32767);
  ASSERT_EQ(a.rc, SQL_SUCCESS_WITH_INFO) << a.describe();
  EXPECT_TRUE(a.has("01004")) << a.describe();
  EXPECT_EQ(a.out_length, 32767);
  out.resize(std::string(out.c_str()).size());
  EXPECT_EQ(out.size(), 32766u);
  EXPECT_EQ(text.compare(0, out.size(), out), 0) << "the completed string is not the one given";
  EXPECT_EQ(through.application_name(), app);
}

INSTANTIATE_TEST_SUITE_P(Sizes, LongAnsi, ::testing::ValuesIn(kLong), name_of);

class LongWide : public ::testing::TestWithParam<Case> {};

// Longer than a wide connect can carry to psqlODBC: refused, with the limit
// named, never cut and never a crash.
TEST_P(LongWide, RefusedNamingTheLimit) {
  for (const std::string& text : {pooled(padding(GetParam()) + ";SSLmode=require"),
                                  dsn_less(padding(GetParam()) + ";SSLmode=require")}) {
    Dbc through;
    const Attempt a = through.connect_wide(text);
    EXPECT_EQ(a.rc, SQL_ERROR) << a.describe();
    ASSERT_FALSE(a.records.empty());
    EXPECT_EQ(a.records.front().sqlstate, "HY000") << a.describe();
    EXPECT_NE(a.records.front().message.find(std::to_string(kWideLimit)), std::string::npos)
        << a.describe();
    EXPECT_LT(a.records.front().message.size(), 1024u) << a.describe();
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, LongWide, ::testing::ValuesIn(kLong), name_of);

// Just under the wide limit, everything passes whole.
const Case kUnderWideLimit{30 * 1024, Shape::Value};

TEST(LongWideUnderLimit, KeyAfterPaddingTakesEffect) {
  const std::string rest = padding(kUnderWideLimit) + ";SSLmode=require";
  Dbc straight;
  expect_ssl_refused(straight.connect_wide(direct(rest)), "psqlODBC directly");
  Dbc through;
  expect_ssl_refused(through.connect_wide(pooled(rest)), "through odbcpool (DSN)");
  Dbc dsn_less_through;
  expect_ssl_refused(dsn_less_through.connect_wide(dsn_less(rest)), "through odbcpool (DSN-less)");
}

TEST(LongWideUnderLimit, SettingAfterPaddingIsApplied) {
  const std::string app = drills::app_name("longstr_w");
  Dbc through;
  const Attempt a = through.connect_wide(
      pooled(padding(kUnderWideLimit) + ";ConnSettings=SET application_name='" + app + "'"));
  ASSERT_TRUE(SQL_SUCCEEDED(a.rc)) << a.describe();
  EXPECT_FALSE(a.has("01004")) << a.describe();
  EXPECT_EQ(through.application_name(), app);
}

// A short string whose completed form at the target (psqlODBC writes every
// option it has, ConnSettings among them) is over 1024 bytes: how the target
// fills a buffer of odbcpool's is never the application's concern.
TEST(ShortString, NoWarningAboutOurOwnBuffer) {
  const std::string app = drills::app_name("longstr_short");
  Dbc through;
  SQLCHAR out[4096];
  const std::string comment = "/*" + std::string(1500, 'c') + "*/";
  const Attempt a = through.connect_ansi(
      pooled("ConnSettings={SET application_name='" + app + "' " + comment + "}"), out,
      static_cast<SQLSMALLINT>(sizeof out));
  EXPECT_EQ(a.rc, SQL_SUCCESS) << a.describe();
  EXPECT_EQ(a.out_length,
            static_cast<SQLSMALLINT>(std::string(reinterpret_cast<char*>(out)).size()));
  EXPECT_EQ(through.application_name(), app);
}

// The application's own buffer too small: 01004, and the full length.
TEST(ShortString, TruncatedOutputIsTheApplications) {
  Dbc through;
  SQLCHAR out[8];
  const std::string text = pooled("ConnSettings=SET application_name='longstr_cut'");
  const Attempt a = through.connect_ansi(text, out, static_cast<SQLSMALLINT>(sizeof out));
  EXPECT_EQ(a.rc, SQL_SUCCESS_WITH_INFO) << a.describe();
  EXPECT_TRUE(a.has("01004")) << a.describe();
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out)).size(), sizeof out - 1);
  EXPECT_GT(a.out_length, static_cast<SQLSMALLINT>(sizeof out));
}

}  // namespace
