// SQLBrowseConnect, step by step: the first call resolves the target and
// starts browsing on a fresh connection of the target driver; later calls
// pass the application's answers straight through. Browsed connections are
// not pooled: once complete, the connection is the application's alone.
#include <algorithm>

#include "connect.h"
#include "connect_config.h"
#include "errors.h"
#include "ini_reader.h"
#include "lengths.h"
#include "target_connect_text.h"
#include "target_diagnostics.h"
#include "text.h"

namespace odbcpool {

namespace {

// The first call: a target connection handle of our own, and the target's
// connection string as the configuration resolves it.
ConnectionString start_browsing(Connection& c, const ConnectionString& app) {
  ConnectConfig config = resolve_connect(app, system_ini());
  TargetLibrary& library = TargetLibrary::load(config.target_library);
  SQLHENV env = library.environment(c.env().odbc_version);
  SQLHDBC dbc = SQL_NULL_HDBC;
  const SQLRETURN rc = library.fn().SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  if (!SQL_SUCCEEDED(rc)) {
    throw TargetError(read_target_diagnostics(library.fn(), SQL_HANDLE_ENV, env), rc);
  }
  c.browsing = std::make_unique<TargetConnection>(library, dbc);
  return config.target_string;
}

// Later calls: the application's answers, without odbcpool's own keys.
ConnectionString answers_only(const ConnectionString& app) {
  ConnectionString answers;
  for (const auto& e : app.entries()) {
    if (!is_own_key(e.key)) answers.set(e.key, e.value);
  }
  return answers;
}

struct BrowseResult {
  SQLRETURN rc = SQL_ERROR;
  SQLLEN full = 0;  // the length of the whole answer, in the application's characters
  bool truncated = false;
};

// The target answers in the other form than the application's: into a
// buffer of our own (the most a SQLSMALLINT length describes), then
// converted into the application's.
template <class String, class Call>
BrowseResult converted(Call&& call, SQLSMALLINT capacity, const TextOut& out) {
  String answer(static_cast<std::size_t>(capacity), typename String::value_type{});
  SQLSMALLINT length = 0;
  BrowseResult r;
  r.rc = call(answer.data(), capacity, &length);
  answer.resize(std::min<std::size_t>(std::max<SQLSMALLINT>(length, 0), capacity - 1));
  if (SQL_SUCCEEDED(r.rc) || r.rc == SQL_NEED_DATA) r.truncated = out.write(answer, &r.full);
  return r;
}

// One call of the target's SQLBrowseConnect in one form (Unit: SQLCHAR or
// SQLWCHAR); straight into the application's buffer when it is of that form.
template <class Unit, class String, class Browse>
BrowseResult browse_in_form(Browse browse, SQLHDBC dbc, String in, bool same_form,
                            SQLSMALLINT converted_capacity, const TextOut& out) {
  auto call = [&](Unit* answer, SQLSMALLINT size, SQLSMALLINT* length) {
    return browse(dbc, reinterpret_cast<Unit*>(in.data()), SQL_NTS, answer, size, length);
  };
  if (!same_form) {
    return converted<String>(
        [&](typename String::value_type* answer, SQLSMALLINT size, SQLSMALLINT* length) {
          return call(reinterpret_cast<Unit*>(answer), size, length);
        },
        converted_capacity, out);
  }
  SQLSMALLINT length = 0;
  BrowseResult r;
  r.rc = call(static_cast<Unit*>(out.buffer), saturated<SQLSMALLINT>(out.capacity), &length);
  r.full = length;
  return r;
}

BrowseResult call_target(const FunctionTable& fn, SQLHDBC dbc, bool wide, const std::string& text,
                         const TextOut& out) {
  if (wide) {
    return browse_in_form<SQLWCHAR>(fn.SQLBrowseConnectW, dbc, to_utf16(text), out.wide, 16384,
                                    out);
  }
  return browse_in_form<SQLCHAR>(fn.SQLBrowseConnect, dbc, text, !out.wide, 32767, out);
}

}  // namespace

SQLRETURN browse_connect(Connection& c, TextIn in, TextOut out, SQLSMALLINT* out_length) {
  if (c.connected()) throw OdbcError("08002", "Connection name in use");
  const ConnectionString app = parse_application_string(in.utf8());
  const ConnectionString cs = c.browsing ? answers_only(app) : start_browsing(c, app);
  TargetConnection& target = *c.browsing;
  const FunctionTable& fn = target.fn();
  bool wide = false;
  std::string text;
  try {
    wide = call_wide(out.wide, fn.SQLBrowseConnect, fn.SQLBrowseConnectW, "SQLBrowseConnect");
    // Whole or refused, as for SQLDriverConnect (it goes with SQL_NTS).
    text = target_connect_text(cs, wide);
  } catch (...) {
    c.browsing.reset();  // refused before the target saw anything: browsing is over
    throw;
  }
  c.diag().begin_call({&fn, SQL_HANDLE_DBC, target.dbc()});

  BrowseResult r = call_target(fn, target.dbc(), wide, text, out);
  if (out_length != nullptr) *out_length = saturated<SQLSMALLINT>(r.full);
  if (r.rc == SQL_ERROR) {
    auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, target.dbc());
    c.browsing.reset();
    throw TargetError(std::move(records), r.rc);
  }
  if (SQL_SUCCEEDED(r.rc)) {
    auto records = r.rc == SQL_SUCCESS_WITH_INFO
                       ? read_target_diagnostics(fn, SQL_HANDLE_DBC, target.dbc())
                       : std::vector<DiagRecord>{};
    c.browsing->learn_claims();
    c.attach_session(make_direct_session(std::move(c.browsing)));
    c.diag().begin_call({});
    c.diag().add_all(records);
  }
  if (r.truncated && r.rc == SQL_SUCCESS) {
    c.diag().add(DiagRecord::own("01004", "String data, right truncated"));
    r.rc = SQL_SUCCESS_WITH_INFO;
  }
  return r.rc;
}

}  // namespace odbcpool
