// One run of a case on one side (direct or pooled): the open connection and
// the transcript it writes to, plus the recording helpers every case uses.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>
#include <string_view>

#include "odbc_text.h"
#include "targets.h"
#include "transcript.h"

namespace conformance {

class Session {
 public:
  Session(const Target& target, bool pooled, SQLHENV env, SQLHDBC dbc, Transcript& transcript)
      : target_(target), pooled_(pooled), env_(env), dbc_(dbc), transcript_(transcript) {}

  const Target& target() const { return target_; }
  bool IsPostgres() const { return target_.IsPostgres(); }
  bool IsSqlite() const { return target_.IsSqlite(); }
  bool IsMariadb() const { return target_.IsMariadb(); }
  SQLHENV env() const { return env_; }
  SQLHDBC dbc() const { return dbc_; }
  std::string Dsn() const { return pooled_ ? target_.PooledDsn() : target_.DirectDsn(); }
  std::string SideToken() const { return pooled_ ? "_pooled" : "_direct"; }
  // A table (or other object) name private to this target and side, in
  // lower case so PostgreSQL's folding does not change it.
  std::string Table(std::string_view base) const;

  void Log(std::string_view line) { transcript_.Add(line); }
  // Records "<call> -> <rc>" and, after SQL_SUCCESS_WITH_INFO or SQL_ERROR,
  // every diagnostic record of the handle. Returns rc.
  SQLRETURN Check(std::string_view call, SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle);
  SQLRETURN Stmt(std::string_view call, SQLRETURN rc, SQLHSTMT stmt) {
    return Check(call, rc, SQL_HANDLE_STMT, stmt);
  }
  SQLRETURN Dbc(std::string_view call, SQLRETURN rc) {
    return Check(call, rc, SQL_HANDLE_DBC, dbc_);
  }
  // Every diagnostic record of the handle (SQLGetDiagRec, ANSI).
  void Diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

 private:
  const Target& target_;
  bool pooled_;
  SQLHENV env_;
  SQLHDBC dbc_;
  Transcript& transcript_;
};

// Every fetch loop stops here, so a driver that never answers SQL_NO_DATA
// fails the comparison instead of hanging the suite.
inline constexpr int kMaxRows = 1000;

// A statement handle freed (and the free recorded) at end of scope.
class Statement {
 public:
  explicit Statement(Session& session);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  SQLHSTMT get() const { return stmt_; }
  operator SQLHSTMT() const { return stmt_; }

 private:
  Session& session_;
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

// SQLExecDirect (ANSI), recorded with its SQL text.
SQLRETURN Exec(Session& s, SQLHSTMT stmt, std::string_view sql);
// Runs the statements one by one on a fresh handle, recording each.
void ExecAll(Session& s, std::initializer_list<std::string> sqls);
// "DROP TABLE IF EXISTS <name>" (both targets understand it), unrecorded.
void DropTable(Session& s, const std::string& name);

// Records the result set: column count, SQLDescribeCol for each column and
// every row read with SQLGetData as SQL_C_CHAR (in chunks, so long values
// are complete). Values that differ between runs by nature are <masked>.
void DumpResultSet(Session& s, SQLHSTMT stmt);
// DumpResultSet for every result, SQLMoreResults in between.
void DumpAllResults(Session& s, SQLHSTMT stmt);
// One column of the current row as SQL_C_CHAR, read to the end; "NULL" for
// SQL NULL. The calls are recorded only when they do not succeed.
std::string GetCharColumn(Session& s, SQLHSTMT stmt, SQLUSMALLINT column);

}  // namespace conformance
