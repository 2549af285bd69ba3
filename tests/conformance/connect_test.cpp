// Connecting: SQLConnect with explicit credentials (A and W), wrong
// credentials, SQLDriverConnectW, and the connection attributes an
// application reads after connecting.
#include "conformance_fixture.h"

namespace conformance {
namespace {

CONFORMANCE_SUITE(Connect);

SQLCHAR* Text(std::string& text) {
  return reinterpret_cast<SQLCHAR*>(text.data());
}

// A number and a text column: psqlODBC's Unicode driver describes text as
// SQL_VARCHAR or SQL_WVARCHAR depending on whether the connection was made
// with an A or a W function, so the connect flavour shows here.
void SelectOne(Session& s) {
  Statement stmt(s);
  Exec(s, stmt, "SELECT 1, 'text'");
  DumpResultSet(s, stmt);
}

TEST_P(Connect, SqlConnectWithCredentials) {
  const Lines direct = RunBoth(
      [](Session& s) {
        std::string dsn = s.Dsn();
        std::string user = kTestUser;
        std::string password = kTestPassword;
        s.Dbc("SQLConnect(dsn, user, password)", SQLConnect(s.dbc(), Text(dsn), SQL_NTS, Text(user),
                                                            SQL_NTS, Text(password), SQL_NTS));
        SelectOne(s);
        s.Dbc("SQLDisconnect", SQLDisconnect(s.dbc()));
        WString wdsn = ToWide(dsn);
        WString wuser = ToWide(user);
        WString wpassword = ToWide(password);
        s.Dbc("SQLConnectW(dsn, user, password)",
              SQLConnectW(s.dbc(), wdsn.data(), SQL_NTS, wuser.data(), SQL_NTS, wpassword.data(),
                          SQL_NTS));
        SelectOne(s);
        // Connecting a connected handle: 08002 from the Driver Manager.
        s.Dbc("SQLConnect again", SQLConnect(s.dbc(), Text(dsn), SQL_NTS, Text(user), SQL_NTS,
                                             Text(password), SQL_NTS));
        s.Dbc("SQLDisconnect", SQLDisconnect(s.dbc()));
        // The DSN's own credentials, none passed.
        s.Dbc("SQLConnect(dsn)", SQLConnect(s.dbc(), Text(dsn), SQL_NTS, nullptr, 0, nullptr, 0));
        SelectOne(s);
        s.Dbc("SQLDisconnect", SQLDisconnect(s.dbc()));
        s.Dbc("SQLDisconnect when not connected", SQLDisconnect(s.dbc()));
      },
      ConnectMode::kNone);
  EXPECT_TRUE(HasLine(direct, "SQLConnect(dsn, user, password) -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "SQLConnectW(dsn, user, password) -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "  row 1: '1' 'text'"));
}

TEST_P(Connect, WrongPassword) {
  const Lines direct = RunBoth(
      [](Session& s) {
        std::string dsn = s.Dsn();
        std::string user = kTestUser;
        std::string password = "not-the-password";
        s.Dbc(
            "SQLConnect(dsn, user, wrong password)",
            SQLConnect(s.dbc(), Text(dsn), SQL_NTS, Text(user), SQL_NTS, Text(password), SQL_NTS));
        std::string in = "DSN=" + dsn + ";PWD=not-the-password;";
        s.Dbc("SQLDriverConnect(DSN, wrong PWD)",
              SQLDriverConnect(s.dbc(), nullptr, Text(in), SQL_NTS, nullptr, 0, nullptr,
                               SQL_DRIVER_NOPROMPT));
        SQLDisconnect(s.dbc());
      },
      ConnectMode::kNone);
  if (GetParam().IsPostgres()) {
    EXPECT_TRUE(HasLine(direct, "SQLConnect(dsn, user, wrong password) -> SQL_ERROR"));
    EXPECT_TRUE(HasLineContaining(direct, "password authentication failed"));
  }
  if (GetParam().IsMariadb()) {
    EXPECT_TRUE(HasLine(direct, "SQLConnect(dsn, user, wrong password) -> SQL_ERROR"));
    EXPECT_TRUE(HasLineContaining(direct, "diag 1: 28000 native=1045 "));
  }
}

TEST_P(Connect, DriverConnectWide) {
  const Lines direct = RunBoth(
      [](Session& s) {
        WString in = ToWide("DSN=" + s.Dsn() + ";");
        SQLWCHAR out[1024] = {};
        SQLSMALLINT out_length = -1;
        s.Dbc("SQLDriverConnectW", SQLDriverConnectW(s.dbc(), nullptr, in.data(), SQL_NTS, out,
                                                     1024, &out_length, SQL_DRIVER_NOPROMPT));
        // The completed connection string is connect-time detail that may
        // legitimately differ through the pool: only its consistency is checked.
        size_t units = 0;
        while (units < 1023 && out[units] != 0) ++units;
        s.Log(std::string("  out length matches: ") +
              (out_length == static_cast<SQLSMALLINT>(units) ? "yes" : "no"));
        SelectOne(s);
        s.Dbc("SQLDisconnect", SQLDisconnect(s.dbc()));
      },
      ConnectMode::kNone);
  EXPECT_TRUE(HasLine(direct, "SQLDriverConnectW -> SQL_SUCCESS"));
  EXPECT_TRUE(HasLine(direct, "  out length matches: yes"));
}

TEST_P(Connect, ConnectionAttributes) {
  const Lines direct = RunBoth([](Session& s) {
    const struct {
      SQLINTEGER id;
      const char* name;
    } numeric[] = {{SQL_ATTR_ACCESS_MODE, "ACCESS_MODE"},
                   {SQL_ATTR_AUTOCOMMIT, "AUTOCOMMIT"},
                   {SQL_ATTR_CONNECTION_DEAD, "CONNECTION_DEAD"},
                   {SQL_ATTR_CONNECTION_TIMEOUT, "CONNECTION_TIMEOUT"},
                   {SQL_ATTR_LOGIN_TIMEOUT, "LOGIN_TIMEOUT"},
                   {SQL_ATTR_TXN_ISOLATION, "TXN_ISOLATION"},
                   {SQL_ATTR_ODBC_CURSORS, "ODBC_CURSORS"},
                   {SQL_ATTR_AUTO_IPD, "AUTO_IPD"},
                   {SQL_ATTR_METADATA_ID, "METADATA_ID"},
                   {SQL_ATTR_ASYNC_ENABLE, "ASYNC_ENABLE"},
                   {SQL_ATTR_PACKET_SIZE, "PACKET_SIZE"},
                   {SQL_ATTR_QUIET_MODE, "QUIET_MODE"}};
    for (const auto& attribute : numeric) {
      SQLULEN value = 0xDEAD;
      s.Dbc(std::string("SQLGetConnectAttr(") + attribute.name + ")",
            SQLGetConnectAttr(s.dbc(), attribute.id, &value, 0, nullptr));
      s.Log("  value=" + std::to_string(value));
    }
    char catalog[256] = {};
    SQLINTEGER length = -1;
    s.Dbc("SQLGetConnectAttr(CURRENT_CATALOG)",
          SQLGetConnectAttr(s.dbc(), SQL_ATTR_CURRENT_CATALOG, catalog, sizeof catalog, &length));
    s.Log("  " + Quote(catalog) + " len=" + std::to_string(length));
    SQLWCHAR wcatalog[256] = {};
    length = -1;
    s.Dbc(
        "SQLGetConnectAttrW(CURRENT_CATALOG)",
        SQLGetConnectAttrW(s.dbc(), SQL_ATTR_CURRENT_CATALOG, wcatalog, sizeof wcatalog, &length));
    s.Log("  " +
          Quote(FromWide(wcatalog, length >= 0 && length < 500 ? length / sizeof(SQLWCHAR) : 0)) +
          " len=" + std::to_string(length));
    s.Dbc("SQLSetConnectAttr(ACCESS_MODE, READ_ONLY)",
          SQLSetConnectAttr(s.dbc(), SQL_ATTR_ACCESS_MODE,
                            reinterpret_cast<SQLPOINTER>(SQL_MODE_READ_ONLY), 0));
    SQLULEN mode = 0;
    s.Dbc("SQLGetConnectAttr(ACCESS_MODE)",
          SQLGetConnectAttr(s.dbc(), SQL_ATTR_ACCESS_MODE, &mode, 0, nullptr));
    s.Log("  value=" + std::to_string(mode));
    s.Dbc("SQLSetConnectAttr(ACCESS_MODE, READ_WRITE)",
          SQLSetConnectAttr(s.dbc(), SQL_ATTR_ACCESS_MODE,
                            reinterpret_cast<SQLPOINTER>(SQL_MODE_READ_WRITE), 0));
    // ODBC 2 spelling of the same.
    SQLULEN option = 0;
    s.Dbc("SQLGetConnectOption(AUTOCOMMIT)", SQLGetConnectOption(s.dbc(), SQL_AUTOCOMMIT, &option));
    s.Log("  value=" + std::to_string(option));
  });
  EXPECT_TRUE(HasLine(direct, "SQLGetConnectAttr(AUTOCOMMIT) -> SQL_SUCCESS"));
  if (!GetParam().IsSqlite()) {
    EXPECT_TRUE(HasLine(direct, "  'odbcpool_test' len=13"));
  }
}

}  // namespace
}  // namespace conformance
