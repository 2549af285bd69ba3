// The ODBC boundary: every exception becomes a diagnostic record and
// SQL_ERROR, a bad handle becomes SQL_INVALID_HANDLE, and nothing escapes.
#include "boundary.h"

#include <gtest/gtest.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core_test_support.h"
#include "fake_diag_target.h"

namespace odbcpool {
namespace {

using testing::connect_fake;
using testing::fake_diag_table;
using testing::FakeDiagArea;

// A handle whose calls leave records on a fake target.
class TargetedHandle final : public Handle {
 public:
  TargetedHandle(const FunctionTable& fn, FakeDiagArea& area)
      : Handle(HandleKind::Statement), fn_(fn), area_(area) {}
  TargetHandle target_handle() const override { return {&fn_, SQL_HANDLE_STMT, &area_}; }

 private:
  const FunctionTable& fn_;
  FakeDiagArea& area_;
};

std::vector<DiagRecord> records_of(Handle& h) {
  return h.diag().view().records;
}

TEST(RunGuarded, ReturnsWhatTheBodyReturns) {
  Environment env;
  for (SQLRETURN rc : {SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA, SQL_NEED_DATA,
                       SQL_STILL_EXECUTING, SQL_ERROR}) {
    EXPECT_EQ(run_guarded(env, [&](Environment&) { return rc; }), rc);
  }
}

TEST(RunGuarded, PassesTheHandleToTheBody) {
  Environment env;
  Environment* seen = nullptr;
  run_guarded(env, [&](Environment& e) {
    seen = &e;
    return SQLRETURN{SQL_SUCCESS};
  });
  EXPECT_EQ(seen, &env);
}

TEST(RunGuarded, StartsTheDiagnosticsAfresh) {
  Environment env;
  env.diag().add(DiagRecord::own("HY000", "from an earlier call"));
  run_guarded(env, [](Environment&) { return SQLRETURN{SQL_SUCCESS}; });
  EXPECT_TRUE(records_of(env).empty());
}

TEST(RunGuarded, OdbcErrorBecomesARecordWithItsSqlstate) {
  Environment env;
  const SQLRETURN rc = run_guarded(env, [](Environment&) -> SQLRETURN {
    throw OdbcError("HYT01", "no free connection in pool 'orders'", 17);
  });
  EXPECT_EQ(rc, SQL_ERROR);
  const auto records = records_of(env);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "HYT01");
  EXPECT_EQ(records[0].message, "[odbcpool] no free connection in pool 'orders'");
  EXPECT_EQ(records[0].native, 17);
}

TEST(RunGuarded, BadAllocBecomesHy001) {
  Environment env;
  EXPECT_EQ(run_guarded(env, [](Environment&) -> SQLRETURN { throw std::bad_alloc(); }), SQL_ERROR);
  const auto records = records_of(env);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "HY001");
  EXPECT_EQ(records[0].message.rfind("[odbcpool] ", 0), 0u);
}

TEST(RunGuarded, OtherStdExceptionsBecomeHy000WithTheirMessage) {
  Environment env;
  EXPECT_EQ(run_guarded(env, [](Environment&) -> SQLRETURN { throw std::out_of_range("map::at"); }),
            SQL_ERROR);
  const auto records = records_of(env);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "HY000");
  EXPECT_EQ(records[0].message.rfind("[odbcpool] ", 0), 0u);
  EXPECT_NE(records[0].message.find("map::at"), std::string::npos);
}

TEST(RunGuarded, NonStdExceptionsBecomeHy000) {
  Environment env;
  EXPECT_EQ(run_guarded(env, [](Environment&) -> SQLRETURN { throw 42; }), SQL_ERROR);
  EXPECT_EQ(run_guarded(env, [](Environment&) -> SQLRETURN { throw "text"; }), SQL_ERROR);
  struct Custom {};
  EXPECT_EQ(run_guarded(env, [](Environment&) -> SQLRETURN { throw Custom{}; }), SQL_ERROR);
  const auto records = records_of(env);
  ASSERT_EQ(records.size(), 1u);  // each call starts afresh
  EXPECT_EQ(records[0].sqlstate, "HY000");
  EXPECT_EQ(records[0].message.rfind("[odbcpool] ", 0), 0u);
}

TEST(RunGuarded, TargetErrorKeepsTheTargetsRecordsAsTheyAre) {
  Environment env;
  DiagRecord a;
  a.sqlstate = "08001";
  a.message = "[unixODBC]could not connect to server";
  a.native = 101;
  DiagRecord b = DiagRecord::own("08001", "while opening a pooled connection");
  const SQLRETURN rc = run_guarded(env, [&](Environment&) -> SQLRETURN {
    throw TargetError({a, b}, SQL_ERROR);
  });
  EXPECT_EQ(rc, SQL_ERROR);
  const auto records = records_of(env);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].message, a.message);
  EXPECT_EQ(records[0].native, 101);
  EXPECT_EQ(records[1].message, b.message);
}

TEST(RunGuarded, NothingEscapes) {
  auto thrower = [](Environment&) -> SQLRETURN { throw 1; };
  static_assert(noexcept(run_guarded(std::declval<Environment&>(), thrower)),
                "run_guarded is noexcept");
  Environment env;
  // A body that throws while the handle's diagnostics are busy reporting
  // still ends in SQL_ERROR rather than std::terminate.
  EXPECT_EQ(run_guarded(env,
                        [](Environment& e) -> SQLRETURN {
                          e.diag().add(DiagRecord::own("01000", "before"));
                          throw std::runtime_error("after");
                        }),
            SQL_ERROR);
  const auto states = records_of(env);
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].sqlstate, "HY000");  // errors before warnings
  EXPECT_EQ(states[1].sqlstate, "01000");
}

TEST(RunGuarded, OwnErrorsDoNotPickUpTheTargetsRecordsOfAnEarlierCall) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"42000", "stale target record"}};
  TargetedHandle h(fn, area);
  EXPECT_EQ(run_guarded(h, [](Handle&) -> SQLRETURN { throw OdbcError("HY010", "sequence"); }),
            SQL_ERROR);
  const auto records = records_of(h);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "HY010");
  EXPECT_EQ(area.rec_calls, 0);
}

TEST(RunGuarded, ASuccessfulCallLeavesTheTargetsRecordsToBeReadThrough) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"01004", "truncated"}};
  TargetedHandle h(fn, area);
  EXPECT_EQ(run_guarded(h, [](Handle&) { return SQLRETURN{SQL_SUCCESS_WITH_INFO}; }),
            SQL_SUCCESS_WITH_INFO);
  const auto v = h.diag().view();
  EXPECT_TRUE(v.records.empty());
  EXPECT_EQ(v.target.handle, &area);
}

// ---- guarded: handle lookup

TEST(Guarded, InvalidPointersAreInvalidHandles) {
  Environment env;
  Connection dbc(env);
  int stray = 0;
  bool called = false;
  auto body = [&](auto&) {
    called = true;
    return SQLRETURN{SQL_SUCCESS};
  };
  EXPECT_EQ(guarded<Environment>(nullptr, body), SQL_INVALID_HANDLE);
  EXPECT_EQ(guarded<Environment>(&stray, body), SQL_INVALID_HANDLE);
  EXPECT_EQ(guarded<Environment>(&dbc, body), SQL_INVALID_HANDLE);  // wrong kind
  EXPECT_EQ(guarded<Connection>(&env, body), SQL_INVALID_HANDLE);
  EXPECT_EQ(guarded<Statement>(&dbc, body), SQL_INVALID_HANDLE);
  EXPECT_FALSE(called);
}

TEST(Guarded, FreedHandleIsInvalid) {
  auto* env = new Environment();
  SQLHANDLE stale = env;
  delete env;
  EXPECT_EQ(guarded<Environment>(stale, [](Environment&) { return SQLRETURN{SQL_SUCCESS}; }),
            SQL_INVALID_HANDLE);
}

TEST(Guarded, RunsTheBodyOnAValidHandleAndCatchesItsExceptions) {
  Environment env;
  Connection dbc(env);
  Connection* seen = nullptr;
  EXPECT_EQ(guarded<Connection>(&dbc,
                                [&](Connection& c) {
                                  seen = &c;
                                  return SQLRETURN{SQL_NO_DATA};
                                }),
            SQL_NO_DATA);
  EXPECT_EQ(seen, &dbc);
  EXPECT_EQ(guarded<Connection>(&dbc,
                                [](Connection& c) -> SQLRETURN {
                                  c.session();  // not connected: 08003
                                  return SQL_SUCCESS;
                                }),
            SQL_ERROR);
  const auto records = records_of(dbc);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "08003");
}

TEST(GuardedDiag, NullIsInvalidAndExceptionsAreErrors) {
  Environment env;
  env.diag().add(DiagRecord::own("HY000", "kept"));
  EXPECT_EQ(guarded_diag(nullptr, [](Handle&) { return SQLRETURN{SQL_SUCCESS}; }),
            SQL_INVALID_HANDLE);
  EXPECT_EQ(guarded_diag(&env, [](Handle&) -> SQLRETURN { throw std::runtime_error("x"); }),
            SQL_ERROR);
  EXPECT_EQ(guarded_diag(&env, [](Handle&) { return SQLRETURN{SQL_NO_DATA}; }), SQL_NO_DATA);
  // The diagnostic functions read the last call's records; they keep them.
  ASSERT_EQ(records_of(env).size(), 1u);
  EXPECT_EQ(records_of(env)[0].message, "[odbcpool] kept");
}

TEST(WithWarnings, SuccessWithOwnWarningsIsSuccessWithInfo) {
  Environment env;
  EXPECT_EQ(with_warnings(SQL_SUCCESS, env), SQL_SUCCESS);
  env.diag().add(DiagRecord::own("01S00", "unknown key"));
  EXPECT_EQ(with_warnings(SQL_SUCCESS, env), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(with_warnings(SQL_SUCCESS_WITH_INFO, env), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(with_warnings(SQL_ERROR, env), SQL_ERROR);
  EXPECT_EQ(with_warnings(SQL_NO_DATA, env), SQL_NO_DATA);
}

// ---- connection-class errors mark the physical connection broken

TEST(NoteConnectionErrors, A08ErrorMarksTheSessionBroken) {
  Environment env;
  Connection dbc(env);
  auto* session = connect_fake(dbc);
  if (session == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  EXPECT_EQ(run_guarded(dbc,
                        [](Connection& c) {
                          c.diag().add(DiagRecord::own("08S01", "communication link failure"));
                          return SQLRETURN{SQL_ERROR};
                        }),
            SQL_ERROR);
  EXPECT_TRUE(session->broken);
}

TEST(NoteConnectionErrors, ServerShutdownMarksTheSessionBroken) {
  Environment env;
  Connection dbc(env);
  auto* session = connect_fake(dbc);
  if (session == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  run_guarded(dbc, [](Connection& c) {
    c.diag().add(DiagRecord::own("57P01", "terminating connection due to administrator command"));
    return SQLRETURN{SQL_ERROR};
  });
  EXPECT_TRUE(session->broken);
}

TEST(NoteConnectionErrors, OtherErrorsAndWarningsDoNot) {
  Environment env;
  Connection dbc(env);
  auto* session = connect_fake(dbc);
  if (session == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  run_guarded(dbc, [](Connection& c) {
    c.diag().add(DiagRecord::own("42000", "syntax error"));
    return SQLRETURN{SQL_ERROR};
  });
  EXPECT_FALSE(session->broken);
  // A connection-class record on a call that did not fail is not looked at.
  run_guarded(dbc, [](Connection& c) {
    c.diag().add(DiagRecord::own("08S01", "as a warning"));
    return SQLRETURN{SQL_SUCCESS_WITH_INFO};
  });
  EXPECT_FALSE(session->broken);
}

TEST(NoteConnectionErrors, NotConnectedIsFine) {
  Environment env;
  Connection dbc(env);
  EXPECT_EQ(run_guarded(dbc,
                        [](Connection& c) {
                          c.diag().add(DiagRecord::own("08S01", "x"));
                          return SQLRETURN{SQL_ERROR};
                        }),
            SQL_ERROR);
  keep_target_records(env, SQL_ERROR);  // no connection at all
}

}  // namespace
}  // namespace odbcpool
