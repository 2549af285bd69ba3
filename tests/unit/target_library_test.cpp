// Loading a target driver library: the errors an operator sees when the
// library is missing or is not an ODBC driver, and the function table of a
// real driver (the SQLite ODBC driver, which has no wide entry points and no
// SQLCancelHandle, as `nm -D` shows).
#include "target_library.h"

#include <gtest/gtest.h>

#include <string>

#include "core_test_support.h"
#include "errors.h"

namespace odbcpool {
namespace {

using testing::kSqliteDriver;

// The OdbcError loading `path` throws, as "SQLSTATE: message".
std::string load_error(const std::string& path) {
  try {
    TargetLibrary::load(path);
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

TEST(TargetLibrary, AMissingPathIsIm003NamingThePathAndTheLoadersError) {
  const std::string path = "/nonexistent/odbcpool-test/libnothing.so";
  const std::string error = load_error(path);
  EXPECT_TRUE(contains(error, "IM003: ")) << error;
  EXPECT_TRUE(contains(error, "'" + path + "'"));
  EXPECT_TRUE(contains(error, "No such file or directory"));  // dlerror's own words
}

TEST(TargetLibrary, AMissingBareNameIsIm003AfterTryingTheDriverDirectory) {
  const std::string error = load_error("libodbcpool-test-nothing.so");
  EXPECT_TRUE(contains(error, "IM003: "));
  EXPECT_TRUE(contains(error, "libodbcpool-test-nothing.so"));
  EXPECT_TRUE(contains(error, default_driver_directory()));
}

TEST(TargetLibrary, AFileThatIsNotALibraryIsIm003) {
  const std::string error = load_error("/etc/hostname");
  EXPECT_TRUE(contains(error, "IM003: "));
  EXPECT_TRUE(contains(error, "/etc/hostname"));
}

TEST(TargetLibrary, ALibraryWithoutOdbcEntryPointsIsIm003NamingWhatIsMissing) {
  for (const std::string name : {"libm.so.6", "libz.so.1"}) {
    const std::string error = load_error(name);
    if (contains(error, "cannot load")) continue;  // not installed here
    EXPECT_TRUE(contains(error, "IM003: ")) << error;
    EXPECT_TRUE(contains(error, "'" + name + "'"));
    EXPECT_TRUE(contains(error, "lacks required ODBC 3 entry points"));
    for (const char* entry : {"SQLAllocHandle", "SQLFreeHandle", "SQLDisconnect",
                              "SQLDriverConnect[W]", "SQLGetDiagRec[W]"}) {
      EXPECT_TRUE(contains(error, entry));
    }
  }
}

TEST(TargetLibrary, AFailedLoadIsNotCached) {
  const std::string first = load_error("libm.so.6");
  EXPECT_EQ(load_error("libm.so.6"), first);
}

TEST(TargetLibrary, LoadsARealDriverOnce) {
  TargetLibrary* library = testing::sqlite_library();
  if (library == nullptr)
    FAIL() << kSqliteDriver << " not installed (scripts/install-deps installs libsqliteodbc)";
  EXPECT_EQ(library->path(), kSqliteDriver);
  EXPECT_EQ(&TargetLibrary::load(kSqliteDriver), library);
  EXPECT_EQ(&TargetLibrary::load(kSqliteDriver), library);
}

TEST(TargetLibrary, ResolvesTheEntryPointsTheDriverHas) {
  TargetLibrary* library = testing::sqlite_library();
  if (library == nullptr)
    FAIL() << kSqliteDriver << " not installed (scripts/install-deps installs libsqliteodbc)";
  const FunctionTable& fn = library->fn();
  EXPECT_NE(fn.SQLAllocHandle, nullptr);
  EXPECT_NE(fn.SQLFreeHandle, nullptr);
  EXPECT_NE(fn.SQLDisconnect, nullptr);
  EXPECT_NE(fn.SQLDriverConnect, nullptr);
  EXPECT_NE(fn.SQLGetDiagRec, nullptr);
  EXPECT_NE(fn.SQLExecDirect, nullptr);
  EXPECT_NE(fn.SQLFetch, nullptr);
  // libsqlite3odbc.so is the ANSI build: no wide entry points at all.
  EXPECT_EQ(fn.SQLExecDirectW, nullptr);
  EXPECT_EQ(fn.SQLDriverConnectW, nullptr);
  EXPECT_EQ(fn.SQLGetDiagRecW, nullptr);
  EXPECT_EQ(fn.SQLCancelHandle, nullptr);
}

TEST(TargetLibrary, ExportsAnswersForEitherForm) {
  TargetLibrary* library = testing::sqlite_library();
  if (library == nullptr)
    FAIL() << kSqliteDriver << " not installed (scripts/install-deps installs libsqliteodbc)";
  EXPECT_TRUE(library->exports(SQL_API_SQLEXECDIRECT));
  EXPECT_TRUE(library->exports(SQL_API_SQLALLOCHANDLE));
  EXPECT_TRUE(library->exports(SQL_API_SQLFETCHSCROLL));
  EXPECT_TRUE(library->exports(SQL_API_SQLDRIVERCONNECT));
  EXPECT_TRUE(library->exports(SQL_API_SQLBROWSECONNECT));
  EXPECT_TRUE(library->exports(SQL_API_SQLBULKOPERATIONS));
  EXPECT_FALSE(library->exports(SQL_API_SQLCANCELHANDLE));
  // Ids outside the forwarded list are never promised.
  EXPECT_FALSE(library->exports(SQL_API_SQLDATASOURCES));
  EXPECT_FALSE(library->exports(0));
  EXPECT_FALSE(library->exports(9999));
}

TEST(TargetLibrary, ProvidesOneEnvironmentPerOdbcVersion) {
  TargetLibrary* library = testing::sqlite_library();
  if (library == nullptr)
    FAIL() << kSqliteDriver << " not installed (scripts/install-deps installs libsqliteodbc)";
  SQLHENV v3 = library->environment(SQL_OV_ODBC3);
  ASSERT_NE(v3, nullptr);
  EXPECT_EQ(library->environment(SQL_OV_ODBC3), v3);
  SQLHENV v2 = library->environment(SQL_OV_ODBC2);
  ASSERT_NE(v2, nullptr);
  EXPECT_NE(v2, v3);
  SQLINTEGER version = 0;
  ASSERT_TRUE(
      SQL_SUCCEEDED(library->fn().SQLGetEnvAttr(v3, SQL_ATTR_ODBC_VERSION, &version, 0, nullptr)));
  EXPECT_EQ(version, SQL_OV_ODBC3);
}

TEST(TargetLibrary, DefaultDriverDirectory) {
  // unixODBC's libdir (from pkg-config) + "/odbc": Debian's driver directory.
  const std::string dir = default_driver_directory();
  ASSERT_GE(dir.size(), 5u);
  EXPECT_EQ(dir.front(), '/');
  EXPECT_EQ(dir.substr(dir.size() - 5), "/odbc");
}

}  // namespace
}  // namespace odbcpool
