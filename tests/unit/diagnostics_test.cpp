// A handle's diagnostic area: own records, records left on the target and
// read through, the order the application sees them in, and odbcpool's own
// records as the ODBC specification describes them.
#include "diagnostics.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diag_record.h"
#include "fake_diag_target.h"
#include "target_diagnostics.h"

namespace odbcpool {
namespace {

using testing::fake_diag_table;
using testing::FakeDiagArea;

std::vector<std::string> states(const Diagnostics::View& v) {
  std::vector<std::string> out;
  for (const auto& r : v.records) out.push_back(r.sqlstate);
  return out;
}

// ---- DiagRecord::own

TEST(DiagRecord, OwnRecordsCarryThePrefix) {
  const DiagRecord r = DiagRecord::own("HYT01", "no free connection", 42);
  EXPECT_EQ(r.sqlstate, "HYT01");
  EXPECT_EQ(r.message, "[odbcpool] no free connection");
  EXPECT_EQ(r.native, 42);
  EXPECT_EQ(r.row_number, SQL_NO_ROW_NUMBER);
  EXPECT_EQ(r.column_number, SQL_NO_COLUMN_NUMBER);
  EXPECT_EQ(std::string(kMessagePrefix), "[odbcpool] ");
}

TEST(DiagRecord, WarningsAreClass01) {
  EXPECT_TRUE(DiagRecord::own("01000", "w").is_warning());
  EXPECT_TRUE(DiagRecord::own("01S00", "w").is_warning());
  EXPECT_FALSE(DiagRecord::own("HY000", "e").is_warning());
  EXPECT_FALSE(DiagRecord::own("08S01", "e").is_warning());
  EXPECT_FALSE(DiagRecord::own("IM002", "e").is_warning());
  EXPECT_FALSE(DiagRecord{}.is_warning());
}

TEST(DiagRecord, OriginsOfIsoAndOdbcClasses) {
  for (const char* state : {"01000", "08001", "22001", "23000", "42000", "40001"}) {
    const DiagRecord r = DiagRecord::own(state, "m");
    EXPECT_EQ(r.class_origin, "ISO 9075") << state;
    EXPECT_EQ(r.subclass_origin, "ISO 9075") << state;
  }
  for (const char* state : {"IM001", "IM002", "IM003"}) {
    const DiagRecord r = DiagRecord::own(state, "m");
    EXPECT_EQ(r.class_origin, "ODBC 3.0") << state;
    EXPECT_EQ(r.subclass_origin, "ODBC 3.0") << state;
  }
}

// SQLGetDiagField: SQL_DIAG_CLASS_ORIGIN is "ISO 9075" for every SQLSTATE
// of the Open Group/ISO CLI (HY included) and "ODBC 3.0" only for class IM;
// SQL_DIAG_SUBCLASS_ORIGIN is "ODBC 3.0" for the listed ODBC-specific
// SQLSTATEs (01S00, 08S01, HYT01, ...).
TEST(DiagRecord, OriginsFollowTheOdbcSpecification) {
  struct Expected {
    const char* state;
    const char* class_origin;
    const char* subclass_origin;
  };
  const Expected cases[] = {
      {"HY000", "ISO 9075", "ISO 9075"}, {"HY001", "ISO 9075", "ISO 9075"},
      {"HYT01", "ISO 9075", "ODBC 3.0"}, {"HYT00", "ISO 9075", "ODBC 3.0"},
      {"01S00", "ISO 9075", "ODBC 3.0"}, {"08S01", "ISO 9075", "ODBC 3.0"},
      {"42S02", "ISO 9075", "ODBC 3.0"}, {"IM002", "ODBC 3.0", "ODBC 3.0"},
  };
  for (const auto& c : cases) {
    const DiagRecord r = DiagRecord::own(c.state, "m");
    EXPECT_EQ(r.class_origin, c.class_origin) << c.state;
    EXPECT_EQ(r.subclass_origin, c.subclass_origin) << c.state;
  }
}

// ---- own records

TEST(Diagnostics, StartsEmpty) {
  Diagnostics d;
  const auto v = d.view();
  EXPECT_TRUE(v.records.empty());
  EXPECT_FALSE(static_cast<bool>(v.target));
  EXPECT_EQ(v.return_code, SQL_SUCCESS);
  EXPECT_FALSE(d.has_own_errors());
}

TEST(Diagnostics, KeepsOwnRecordsInOrder) {
  Diagnostics d;
  d.add(DiagRecord::own("HY000", "first"));
  d.add(DiagRecord::own("HY001", "second"));
  d.add_all({DiagRecord::own("HY010", "third"), DiagRecord::own("HY090", "fourth")});
  const auto v = d.view();
  EXPECT_EQ(states(v), (std::vector<std::string>{"HY000", "HY001", "HY010", "HY090"}));
  EXPECT_EQ(v.records[0].message, "[odbcpool] first");
  EXPECT_TRUE(d.has_own_errors());
}

TEST(Diagnostics, ErrorsComeBeforeWarningsInTheirOwnOrder) {
  Diagnostics d;
  d.add(DiagRecord::own("01S00", "w1"));
  d.add(DiagRecord::own("HY000", "e1"));
  d.add(DiagRecord::own("01000", "w2"));
  d.add(DiagRecord::own("08S01", "e2"));
  EXPECT_EQ(states(d.view()), (std::vector<std::string>{"HY000", "08S01", "01S00", "01000"}));
}

TEST(Diagnostics, WarningsAloneAreNotErrors) {
  Diagnostics d;
  d.add(DiagRecord::own("01S00", "w"));
  d.add(DiagRecord::own("01004", "w"));
  EXPECT_FALSE(d.has_own_errors());
  EXPECT_EQ(d.view().records.size(), 2u);
}

TEST(Diagnostics, BeginCallClearsEverything) {
  Diagnostics d;
  d.add(DiagRecord::own("HY000", "old"));
  d.set_return_code(SQL_ERROR);
  d.begin_call({});
  const auto v = d.view();
  EXPECT_TRUE(v.records.empty());
  EXPECT_EQ(v.return_code, SQL_SUCCESS);
  EXPECT_FALSE(d.has_own_errors());
  d.add(DiagRecord::own("HY000", "x"));
  d.clear();
  EXPECT_TRUE(d.view().records.empty());
}

TEST(Diagnostics, ReturnCodeIsKept) {
  Diagnostics d;
  d.set_return_code(SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(d.view().return_code, SQL_SUCCESS_WITH_INFO);
}

// ---- records left on the target

TEST(Diagnostics, TargetRecordsAreReadThroughNotCopied) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"42S02", "no such table"}};
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_STMT, &area});
  const auto v = d.view();
  EXPECT_TRUE(v.records.empty());
  ASSERT_TRUE(static_cast<bool>(v.target));
  EXPECT_EQ(v.target.handle, &area);
  EXPECT_EQ(v.target.type, SQL_HANDLE_STMT);
  EXPECT_EQ(area.rec_calls, 0);  // nothing read on the hot path
}

TEST(Diagnostics, AddingAnOwnRecordCopiesTheTargetsFirst) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"HY000", "target one", 1}, {"42000", "target two", 2}};
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_DBC, &area});
  d.add(DiagRecord::own("08S01", "ours"));
  d.add(DiagRecord::own("HY008", "ours too"));
  const auto v = d.view();
  EXPECT_FALSE(static_cast<bool>(v.target));
  ASSERT_EQ(states(v), (std::vector<std::string>{"HY000", "42000", "08S01", "HY008"}));
  EXPECT_EQ(v.records[0].message, "target one");  // unchanged, no prefix
  EXPECT_EQ(v.records[1].native, 2);
  EXPECT_EQ(v.records[2].message, "[odbcpool] ours");
  // Read once, not again for the second own record: 2 records + SQL_NO_DATA.
  EXPECT_EQ(area.rec_calls, 3);
}

TEST(Diagnostics, OwnWarningsFollowTargetErrors) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"01004", "truncated"}, {"HY000", "target error"}};
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_STMT, &area});
  d.add(DiagRecord::own("01S00", "unknown key"));
  EXPECT_EQ(states(d.view()), (std::vector<std::string>{"HY000", "01004", "01S00"}));
}

TEST(Diagnostics, ForgetTargetDropsRecordsOfAnEarlierCall) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"HY000", "stale"}};
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_STMT, &area});
  d.forget_target();
  EXPECT_FALSE(static_cast<bool>(d.view().target));
  d.add(DiagRecord::own("HY010", "sequence error"));
  EXPECT_EQ(states(d.view()), (std::vector<std::string>{"HY010"}));
  EXPECT_EQ(area.rec_calls, 0);
}

TEST(Diagnostics, AddAllCopiesTheTargetsFirstToo) {
  const FunctionTable fn = fake_diag_table();
  FakeDiagArea area;
  area.records = {{"HY000", "t"}};
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_STMT, &area});
  d.add_all({DiagRecord::own("HY001", "a"), DiagRecord::own("HY013", "b")});
  EXPECT_EQ(states(d.view()), (std::vector<std::string>{"HY000", "HY001", "HY013"}));
}

TEST(Diagnostics, NullTargetHandleIsNoTarget) {
  const FunctionTable fn = fake_diag_table();
  Diagnostics d;
  d.begin_call({&fn, SQL_HANDLE_STMT, SQL_NULL_HANDLE});
  EXPECT_FALSE(static_cast<bool>(d.view().target));
  d.add(DiagRecord::own("HY000", "x"));
  EXPECT_EQ(d.view().records.size(), 1u);
}

// ---- reading a target's records

TEST(TargetDiagnostics, ReadsEveryRecordWithItsFields) {
  const FunctionTable fn = fake_diag_table(false, true);
  FakeDiagArea area;
  area.records = {{"22001", "right truncation", 7}, {"01004", "data truncated", 0}};
  area.records[1].subclass_origin = "ODBC 3.0";
  const auto records = read_target_diagnostics(fn, SQL_HANDLE_STMT, &area);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].sqlstate, "22001");
  EXPECT_EQ(records[0].message, "right truncation");
  EXPECT_EQ(records[0].native, 7);
  EXPECT_EQ(records[0].class_origin, "ISO 9075");
  EXPECT_EQ(records[0].server_name, "fake server");
  EXPECT_EQ(records[1].subclass_origin, "ODBC 3.0");
  EXPECT_EQ(records[1].row_number, 7);
  EXPECT_EQ(records[1].column_number, 3);
}

TEST(TargetDiagnostics, RowAndColumnOnlyForStatements) {
  const FunctionTable fn = fake_diag_table(false, true);
  FakeDiagArea area;
  area.records = {{"08S01", "link failure"}};
  const auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, &area);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].row_number, SQL_NO_ROW_NUMBER);
  EXPECT_EQ(records[0].column_number, SQL_NO_COLUMN_NUMBER);
}

TEST(TargetDiagnostics, LongMessagesAreReadWhole) {
  std::string message;
  for (int i = 0; i < 300; ++i) message += "msg" + std::to_string(i) + " ";
  ASSERT_GT(message.size(), 1000u);
  for (bool wide : {false, true}) {
    const FunctionTable fn = fake_diag_table(wide);
    FakeDiagArea area;
    area.records = {{"42000", message}};
    const auto records = read_target_diagnostics(fn, SQL_HANDLE_STMT, &area);
    ASSERT_EQ(records.size(), 1u) << wide;
    EXPECT_EQ(records[0].message, message) << wide;
  }
}

TEST(TargetDiagnostics, WideOnlyTargetsAreConverted) {
  const FunctionTable fn = fake_diag_table(true);
  FakeDiagArea area;
  area.records = {{"42S02",
                   "relation \xC2\xBB"
                   "b\xC3\xBC"
                   "cher\xC2\xAB does not exist",
                   1}};
  const auto records = read_target_diagnostics(fn, SQL_HANDLE_STMT, &area);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sqlstate, "42S02");
  EXPECT_EQ(records[0].message, area.records[0].message);
  EXPECT_EQ(records[0].native, 1);
}

TEST(TargetDiagnostics, NullHandleHasNoRecords) {
  const FunctionTable fn = fake_diag_table();
  EXPECT_TRUE(read_target_diagnostics(fn, SQL_HANDLE_STMT, SQL_NULL_HANDLE).empty());
}

}  // namespace
}  // namespace odbcpool
