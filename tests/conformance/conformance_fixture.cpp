#include "conformance_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>

namespace conformance {

namespace {

// With ODBCPOOL_CONFORMANCE_TRANSCRIPTS=<dir>, every transcript is also
// written to <dir>/<suite>.<test>.<target>.<side>.txt for inspection.
void SaveTranscript(const Lines& lines, const std::string& side) {
  const char* dir = std::getenv("ODBCPOOL_CONFORMANCE_TRANSCRIPTS");
  if (dir == nullptr || *dir == '\0') return;
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name() + "." + side;
  for (char& c : name) {
    if (c == '/') c = '.';
  }
  std::ofstream out(std::string(dir) + "/" + name + ".txt");
  for (const std::string& line : lines) out << line << '\n';
}

// psqlODBC's Unicode driver (13.02) converts the first non-ASCII diagnostic
// message of a process as if it were Latin-1 and every later one as UTF-8.
// Whichever side ran first would see the odd one out, so each target gets
// one unrecorded error with a non-ASCII message before its first case.
void WarmUp(const Target& target) {
  static std::set<std::string> warmed;
  if (!warmed.insert(target.name).second) return;
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  std::string in = "DSN=" + target.DirectDsn() + ";";
  if (SQL_SUCCEEDED(SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(in.data()), SQL_NTS,
                                     nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT))) {
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
    std::string sql = "SELECT * FROM conf_warm_up_\xc3\xa9";
    SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(sql.data()), SQL_NTS);
    SQLWCHAR state[6];
    SQLINTEGER native = 0;
    SQLWCHAR message[512];
    SQLSMALLINT length = 0;
    SQLGetDiagRecW(SQL_HANDLE_STMT, stmt, 1, state, &native, message, 512, &length);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    SQLDisconnect(dbc);
  }
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
}

}  // namespace

Lines ConformanceTest::RunSide(const Case& body, ConnectMode connect, bool pooled) {
  const Target& target = GetParam();
  Transcript transcript(pooled ? "_pooled" : "_direct");
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)) ||
      !SQL_SUCCEEDED(SQLSetEnvAttr(
          env, SQL_ATTR_ODBC_VERSION,
          reinterpret_cast<SQLPOINTER>(static_cast<SQLLEN>(target.odbc_version)), 0)) ||
      !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc))) {
    ADD_FAILURE() << "cannot allocate ODBC environment/connection handles";
    return {};
  }
  Session session(target, pooled, env, dbc, transcript);
  bool connected = false;
  if (connect == ConnectMode::kDriverConnect) {
    std::string in = "DSN=" + session.Dsn() + ";";
    SQLCHAR out[1024];
    SQLSMALLINT out_length = 0;
    const SQLRETURN rc =
        SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(in.data()), SQL_NTS, out,
                         sizeof out, &out_length, SQL_DRIVER_NOPROMPT);
    // The connect itself is not part of the transcript: what the pooled
    // driver says on connect (its own out-string, a config warning) may
    // legitimately differ. Failing to connect is a setup failure.
    if (!SQL_SUCCEEDED(rc)) {
      Transcript why(pooled ? "_pooled" : "_direct");
      Session probe(target, pooled, env, dbc, why);
      probe.Diagnostics(SQL_HANDLE_DBC, dbc);
      std::string message;
      for (const std::string& line : why.lines()) message += line + "\n";
      ADD_FAILURE() << "SQLDriverConnect(" << in << ") -> " << RcName(rc) << "\n" << message;
    } else {
      connected = true;
    }
  }
  if (connect == ConnectMode::kNone || connected) {
    body(session);
    if (connected) {
      session.Dbc("SQLDisconnect", SQLDisconnect(dbc));
    } else {
      // A case that connects itself may have stopped half-way: unrecorded.
      SQLDisconnect(dbc);
    }
  }
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  SaveTranscript(transcript.lines(), pooled ? "pooled" : "direct");
  return transcript.lines();
}

Lines ConformanceTest::RunBoth(const Case& body, ConnectMode connect) {
  WarmUp(GetParam());
  const Lines direct = RunSide(body, connect, false);
  const Lines pooled = RunSide(body, connect, true);
  EXPECT_TRUE(direct == pooled) << GetParam().DirectDsn() << " and " << GetParam().PooledDsn()
                                << " differ:\n"
                                << Diff(direct, pooled);
  return direct;
}

Lines ConformanceTest::RunBothExcept(Exemption exempt, const Case& body, ConnectMode connect) {
  if (!exempt(GetParam())) return RunBoth(body, connect);
  WarmUp(GetParam());
  const Lines direct = RunSide(body, connect, false);
  const Lines pooled = RunSide(body, connect, true);
  if (direct != pooled) {
    std::printf("[   note   ] %s and %s differ here by design (not asserted):\n%s",
                GetParam().DirectDsn().c_str(), GetParam().PooledDsn().c_str(),
                Diff(direct, pooled).c_str());
  }
  return pooled;
}

bool AnsiOnlyTarget(const Target& target) {
  return !target.wide_driver;
}

bool SqliteTarget(const Target& target) {
  return target.dialect == Dialect::kSqlite;
}

bool MariaDbUserVariablesKept(const Target& target) {
  return target.IsMariadb();
}

bool MariaDbUncheckedColumnNumber(const Target& target) {
  return target.IsMariadb();
}

bool MariaDbCopiesIrdShallowly(const Target& target) {
  return target.IsMariadb();
}

testing::AssertionResult HasLine(const Lines& lines, const std::string& line) {
  for (const std::string& l : lines) {
    if (l == line) return testing::AssertionSuccess();
  }
  testing::AssertionResult result = testing::AssertionFailure();
  result << "the direct transcript lacks the line\n  [" << line << "]\nit has:\n";
  for (const std::string& l : lines) result << "  [" << l << "]\n";
  return result;
}

testing::AssertionResult HasLineContaining(const Lines& lines, const std::string& part) {
  for (const std::string& l : lines) {
    if (l.find(part) != std::string::npos) return testing::AssertionSuccess();
  }
  testing::AssertionResult result = testing::AssertionFailure();
  result << "no line of the direct transcript contains\n  [" << part << "]\nit has:\n";
  for (const std::string& l : lines) result << "  [" << l << "]\n";
  return result;
}

}  // namespace conformance
