// The fixture every conformance suite derives from: a case runs once on the
// direct DSN and once on the pooled DSN of the same target, and the two
// transcripts must be identical.
//
//   CONFORMANCE_SUITE(Fetch);
//   TEST_P(Fetch, BindCol) {
//     const auto direct = RunBoth([](Session& s) { ... });
//     EXPECT_TRUE(HasLine(direct, "  row 1: '1' 'one'"));
//   }
//
// shows up as Conformance/Fetch.BindCol/<target>.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "session.h"
#include "targets.h"

namespace conformance {

using Lines = std::vector<std::string>;

class ConformanceTest : public testing::TestWithParam<Target> {
 protected:
  enum class ConnectMode {
    kDriverConnect,  // SQLDriverConnect("DSN=<dsn>;") before the case, SQLDisconnect after
    kNone,           // the case connects (and disconnects) itself
  };
  using Case = std::function<void(Session&)>;

  // Runs `body` on the direct and then on the pooled DSN, expects the same
  // transcript from both and returns the direct one for the case's own
  // assertions (so a test fails even when both sides are equally wrong).
  Lines RunBoth(const Case& body, ConnectMode connect = ConnectMode::kDriverConnect);

  // For the few cases where odbcpool cannot, or deliberately does not,
  // behave like the target: for a target `exempt` names, both sides run, the
  // difference is printed rather than asserted, and the POOLED transcript is
  // returned for the case to assert what odbcpool does instead. For every
  // other target this is RunBoth. Each use says why.
  using Exemption = bool (*)(const Target&);
  Lines RunBothExcept(Exemption exempt, const Case& body,
                      ConnectMode connect = ConnectMode::kDriverConnect);

 private:
  Lines RunSide(const Case& body, ConnectMode connect, bool pooled);
};

// The transcript holds exactly this line / a line containing `part`.
testing::AssertionResult HasLine(const Lines& lines, const std::string& line);
testing::AssertionResult HasLineContaining(const Lines& lines, const std::string& part);

// The exemptions.
//
// Wide (W) calls against a target that has only the ANSI entry points
// (SQLite, psqlODBC ANSI): on the direct side the Driver Manager converts
// them itself (SQL text to ISO-8859-1, lengths its own way, IM001 for some
// functions), while through odbcpool it sees a Unicode driver and odbcpool
// converts UTF-16 to and from UTF-8, as it must.
bool AnsiOnlyTarget(const Target& target);
// The SQLite driver's records can only be read with SQLError. For those the
// Driver Manager's answers to SQLGetDiagField (no origins, no dynamic
// function, W text read properly) differ from those it gives for the same
// records read from a Unicode driver, which is what odbcpool is to it.
bool SqliteTarget(const Target& target);

// MariaDB Connector/ODBC's catalog functions compute their result columns
// through user variables (@dt, @ColSize, @tol), and a result column's type
// follows the type a variable already has in the session. A pooled
// connection keeps the user variables an earlier borrower's catalog calls
// left (PoolResetStatement=auto cannot drop them: MariaDB has no statement
// that does without the RELOAD privilege, docs/configuration.md), so
// through odbcpool SQLProcedureColumns describes CHAR_OCTET_LENGTH as
// BIGINT where a fresh connection says LONGVARCHAR (Catalog.Procedures).
bool MariaDbUserVariablesKept(const Target& target);

// Not exemptions but steps left out, because MariaDB Connector/ODBC 3.1.15
// crashes the process on them, on the direct side as much as through
// odbcpool; the rest of each case is compared as usual.
//
// SQLGetData of a column past the last one: the driver does not check the
// number (no 07009) and reads past its column array: SQL_NO_DATA, 22002,
// HY000 (2051) or a SIGSEGV inside libmaodbc.so, from run to run
// (Fetch.BindColTruncationAndNulls).
bool MariaDbUncheckedColumnNumber(const Target& target);
// SQLCopyDesc of an IRD: the copy shares the IRD's strings, and once it is
// freed the statement's SQLCloseCursor frees them again (free(): double
// free, abort) (Descriptors.ExplicitArdAndCopyDesc).
bool MariaDbCopiesIrdShallowly(const Target& target);

}  // namespace conformance

#define CONFORMANCE_SUITE(Suite)                                                                 \
  class Suite : public ::conformance::ConformanceTest {};                                        \
  INSTANTIATE_TEST_SUITE_P(Conformance, Suite, ::testing::ValuesIn(::conformance::AllTargets()), \
                           ::conformance::TargetName)
