#include "target_connect.h"

#include "errors.h"
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
                                static_cast<SQLINTEGER>(text.size()));
  }
  if (fn.SQLSetConnectAttrW != nullptr) {
    WideString text = to_utf16(attribute.text);
    return fn.SQLSetConnectAttrW(dbc, attribute.attribute, text.data(),
                                 static_cast<SQLINTEGER>(text.size() * sizeof(SQLWCHAR)));
  }
  return SQL_ERROR;
}

namespace {

SQLRETURN driver_connect(const FunctionTable& fn, SQLHDBC dbc, const std::string& text, bool wide) {
  if (fn.SQLDriverConnect != nullptr && !(wide && fn.SQLDriverConnectW != nullptr)) {
    std::string in = text;
    SQLCHAR out[1024];
    SQLSMALLINT out_length = 0;
    return fn.SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(in.data()),
                               static_cast<SQLSMALLINT>(in.size()), out, sizeof out, &out_length,
                               SQL_DRIVER_NOPROMPT);
  }
  WideString in = to_utf16(text);
  SQLWCHAR out[1024];
  SQLSMALLINT out_length = 0;
  return fn.SQLDriverConnectW(dbc, nullptr, reinterpret_cast<SQLWCHAR*>(in.data()),
                              static_cast<SQLSMALLINT>(in.size()), out, 1024, &out_length,
                              SQL_DRIVER_NOPROMPT);
}

}  // namespace

std::unique_ptr<TargetConnection> open_target_connection(
    TargetLibrary& library, SQLINTEGER odbc_version, const ConnectionString& target,
    const std::vector<ConnectionAttribute>& attributes, std::vector<DiagRecord>& warnings,
    bool wide) {
  const FunctionTable& fn = library.fn();
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
  rc = driver_connect(fn, dbc, target.to_string(), wide);
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
  if (rc == SQL_SUCCESS_WITH_INFO) {
    auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, dbc);
    warnings.insert(warnings.end(), records.begin(), records.end());
  }
  return std::make_unique<TargetConnection>(library, dbc);
}

}  // namespace odbcpool
