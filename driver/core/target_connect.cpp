#include "target_connect.h"

#include <algorithm>

#include "errors.h"
#include "lengths.h"
#include "target_diagnostics.h"
#include "unicode.h"

namespace odbcpool {

SQLRETURN apply_connect_attribute(const FunctionTable& fn, SQLHDBC dbc,
                                  const ConnectionAttribute& attribute) {
  if (!attribute.is_text) {
    auto value = reinterpret_cast<SQLPOINTER>(attribute.integer);
    if (fn.SQLSetConnectAttr != nullptr) {
      return fn.SQLSetConnectAttr(dbc, attribute.attribute, value, SQL_IS_UINTEGER);
    }
    if (fn.SQLSetConnectAttrW != nullptr) {
      return fn.SQLSetConnectAttrW(dbc, attribute.attribute, value, SQL_IS_UINTEGER);
    }
    return SQL_ERROR;
  }
  if (fn.SQLSetConnectAttr != nullptr) {
    std::string text = attribute.text;
    return fn.SQLSetConnectAttr(dbc, attribute.attribute, text.data(),
                                checked_length<SQLINTEGER>(text.size(), "the attribute value"));
  }
  if (fn.SQLSetConnectAttrW != nullptr) {
    WideString text = to_utf16(attribute.text);
    return fn.SQLSetConnectAttrW(
        dbc, attribute.attribute, text.data(),
        checked_length<SQLINTEGER>(text.size() * sizeof(SQLWCHAR), "the attribute value"));
  }
  return SQL_ERROR;
}

SQLRETURN read_connect_attribute(const FunctionTable& fn, SQLHDBC dbc, SQLINTEGER attribute,
                                 SQLPOINTER value, SQLINTEGER capacity, SQLINTEGER* length) {
  if (fn.SQLGetConnectAttr != nullptr) {
    return fn.SQLGetConnectAttr(dbc, attribute, value, capacity, length);
  }
  if (fn.SQLGetConnectAttrW != nullptr) {
    return fn.SQLGetConnectAttrW(dbc, attribute, value, capacity, length);
  }
  return SQL_ERROR;
}

bool apply_quietly(const FunctionTable& fn, SQLHDBC dbc, const ConnectionAttribute& attribute) {
  const SQLRETURN rc = apply_connect_attribute(fn, dbc, attribute);
  if (rc != SQL_SUCCESS) read_target_diagnostics(fn, SQL_HANDLE_DBC, dbc);
  return SQL_SUCCEEDED(rc);
}

namespace {

ConnectionAttribute integer_attribute(SQLINTEGER attribute, SQLULEN value) {
  ConnectionAttribute a;
  a.attribute = attribute;
  a.integer = value;
  return a;
}

bool connects_wide(const FunctionTable& fn, bool wide) {
  return fn.SQLDriverConnect == nullptr || (wide && fn.SQLDriverConnectW != nullptr);
}

// The target's completed string is never read: passing no buffer for it
// means a target that would cut it to fit (psqlODBC says 01004) has nothing
// to warn about, and the application sees only warnings about its own call.
SQLRETURN driver_connect(const FunctionTable& fn, SQLHDBC dbc, const std::string& text, bool wide) {
  if (!connects_wide(fn, wide)) {
    std::string in = text;
    return fn.SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(in.data()), SQL_NTS,
                               nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
  }
  WideString in = to_utf16(text);
  return fn.SQLDriverConnectW(dbc, nullptr, reinterpret_cast<SQLWCHAR*>(in.data()), SQL_NTS,
                              nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
}

}  // namespace

std::unique_ptr<TargetConnection> open_target_connection(
    TargetLibrary& library, SQLINTEGER odbc_version, const ConnectionString& target,
    const std::vector<ConnectionAttribute>& attributes, std::vector<DiagRecord>& warnings,
    bool wide, std::chrono::seconds login_timeout) {
  const FunctionTable& fn = library.fn();
  // Checked before anything is allocated: a string that cannot reach the
  // target whole is refused, never cut.
  const std::string text = target_connect_text(target, connects_wide(fn, wide));
  SQLHENV env = library.environment(odbc_version);
  SQLHDBC dbc = SQL_NULL_HDBC;
  SQLRETURN rc = fn.SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  if (!SQL_SUCCEEDED(rc)) {
    throw TargetError(read_target_diagnostics(fn, SQL_HANDLE_ENV, env), rc);
  }
  for (const auto& attribute : attributes) {
    rc = apply_connect_attribute(fn, dbc, attribute);
    if (rc == SQL_ERROR || rc == SQL_SUCCESS_WITH_INFO) {
      auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, dbc);
      warnings.insert(warnings.end(), records.begin(), records.end());
    }
  }
  const bool app_login_timeout = std::any_of(
      attributes.begin(), attributes.end(),
      [](const ConnectionAttribute& a) { return a.attribute == SQL_ATTR_LOGIN_TIMEOUT; });
  SQLULEN original_login_timeout = 0;
  const bool bounded =
      login_timeout.count() > 0 && !app_login_timeout &&
      SQL_SUCCEEDED(read_connect_attribute(fn, dbc, SQL_ATTR_LOGIN_TIMEOUT, &original_login_timeout,
                                           sizeof(SQLULEN), nullptr)) &&
      apply_quietly(
          fn, dbc,
          integer_attribute(SQL_ATTR_LOGIN_TIMEOUT, static_cast<SQLULEN>(login_timeout.count())));
  if (connects_wide(fn, wide)) {
    // What the Driver Manager tells a driver it connects with a W function.
    apply_quietly(fn, dbc, integer_attribute(SQL_ATTR_ANSI_APP, SQL_AA_FALSE));
  }
  rc = driver_connect(fn, dbc, text, wide);
  if (!SQL_SUCCEEDED(rc)) {
    auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, dbc);
    fn.SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    if (records.empty()) {
      records.push_back(DiagRecord::own("08001",
                                        "the target driver refused the connection "
                                        "without saying why"));
    }
    throw TargetError(std::move(records), rc);
  }
  auto connection = std::make_unique<TargetConnection>(library, dbc, connects_wide(fn, wide));
  connection->learn_claims();
  // Read as the Driver Manager reads them: once it knows what the target claims.
  if (rc == SQL_SUCCESS_WITH_INFO) {
    auto records = read_target_diagnostics(connection->fn(), SQL_HANDLE_DBC, dbc);
    warnings.insert(warnings.end(), records.begin(), records.end());
  }
  if (bounded) {
    apply_quietly(connection->fn(), dbc,
                  integer_attribute(SQL_ATTR_LOGIN_TIMEOUT, original_login_timeout));
  }
  return connection;
}

}  // namespace odbcpool
