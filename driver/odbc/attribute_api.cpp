// Connection and statement attributes. Connection attributes set before
// connecting are kept and applied to the physical connection; descriptor
// handles in statement attributes are translated between ours and the
// target's.
#include <cstring>

#include "api.h"
#include "odbcpool/odbcpool.h"
#include "target_connect.h"
#include "text_attributes.h"

using namespace odbcpool;

namespace {

ConnectionAttribute attribute_value(SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER length,
                                    bool wide) {
  ConnectionAttribute a;
  a.attribute = attribute;
  if (is_text_connect_attribute(attribute, length)) {
    a.is_text = true;
    const SQLINTEGER units = length == SQL_NTS || length < 0 ? SQL_NTS
                             : wide ? length / static_cast<SQLINTEGER>(sizeof(SQLWCHAR))
                                    : length;
    a.text = wide ? TextIn::wide(static_cast<SQLWCHAR*>(value), units).utf8()
                  : TextIn::ansi(static_cast<SQLCHAR*>(value), units).utf8();
  } else {
    a.integer = reinterpret_cast<SQLULEN>(value);
  }
  return a;
}

SQLRETURN set_connect_attr(Connection& c, bool wide, SQLINTEGER attribute, SQLPOINTER value,
                           SQLINTEGER length) {
  // The Driver Manager's note, just before a wide connect, that the
  // application is not ANSI. It concerns the physical connect, which tells
  // the target itself when it connects wide (as the Driver Manager would);
  // it is never the application's to apply or restore.
  if (attribute == SQL_ATTR_ANSI_APP) return SQL_SUCCESS;
  if (!c.connected()) {
    c.remember_pending(attribute_value(attribute, value, length, wide));
    return SQL_SUCCESS;
  }
  c.session().before_set_attribute(attribute, is_text_connect_attribute(attribute, length));
  const FunctionTable& fn = c.fn();
  const bool target_wide =
      call_wide(wide, fn.SQLSetConnectAttr, fn.SQLSetConnectAttrW, "SQLSetConnectAttr");
  if (target_wide == wide || !is_text_connect_attribute(attribute, length)) {
    return target_wide ? fn.SQLSetConnectAttrW(c.target_dbc(), attribute, value, length)
                       : fn.SQLSetConnectAttr(c.target_dbc(), attribute, value, length);
  }
  return apply_connect_attribute(fn, c.target_dbc(),
                                 attribute_value(attribute, value, length, wide));
}

SQLRETURN pending_connect_attr(Connection& c, bool wide, SQLINTEGER attribute, SQLPOINTER value,
                               SQLINTEGER capacity, SQLINTEGER* length) {
  const ConnectionAttribute* pending = c.find_pending(attribute);
  SQLULEN integer;
  if (pending != nullptr && pending->is_text) {
    SQLLEN full = 0;
    const bool truncated = TextOut{wide, value, capacity, Units::Bytes}.write(pending->text, &full);
    set_length(length, full);
    return after_conversion(c, SQL_SUCCESS, truncated && value != nullptr);
  }
  if (pending != nullptr) {
    integer = pending->integer;
  } else if (attribute == SQL_ATTR_AUTOCOMMIT) {
    integer = SQL_AUTOCOMMIT_ON;
  } else if (attribute == SQL_ATTR_LOGIN_TIMEOUT || attribute == SQL_ATTR_CONNECTION_TIMEOUT) {
    integer = 0;
  } else if (attribute == SQL_ATTR_ACCESS_MODE) {
    integer = SQL_MODE_READ_WRITE;
  } else {
    throw OdbcError("08003", "Connection not open");
  }
  const auto narrow = static_cast<SQLUINTEGER>(integer);
  if (value != nullptr) std::memcpy(value, &narrow, sizeof narrow);
  set_length(length, sizeof narrow);
  return SQL_SUCCESS;
}

SQLRETURN get_connect_attr(Connection& c, bool wide, SQLINTEGER attribute, SQLPOINTER value,
                           SQLINTEGER capacity, SQLINTEGER* length) {
  if (!c.connected()) return pending_connect_attr(c, wide, attribute, value, capacity, length);
  if (attribute == ODBCPOOL_ATTR_POOLED) {
    const SQLUINTEGER pooled = c.session().pooled() ? 1 : 0;
    if (value != nullptr) std::memcpy(value, &pooled, sizeof pooled);
    set_length(length, sizeof pooled);
    return SQL_SUCCESS;
  }
  const FunctionTable& fn = c.fn();
  SQLHDBC dbc = c.target_dbc();
  if (!is_text_connect_attribute(attribute, capacity)) {
    const bool target_wide =
        call_wide(wide, fn.SQLGetConnectAttr, fn.SQLGetConnectAttrW, "SQLGetConnectAttr");
    return target_wide ? fn.SQLGetConnectAttrW(dbc, attribute, value, capacity, length)
                       : fn.SQLGetConnectAttr(dbc, attribute, value, capacity, length);
  }
  return text_out(
      c, wide, fn.SQLGetConnectAttr != nullptr, fn.SQLGetConnectAttrW != nullptr,
      "SQLGetConnectAttr", TextOut{wide, value, capacity, Units::Bytes}, length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc = fn.SQLGetConnectAttr(dbc, attribute, b, saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc = fn.SQLGetConnectAttrW(dbc, attribute, b, saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      });
}

bool is_descriptor_attribute(SQLINTEGER attribute) {
  return attribute == SQL_ATTR_APP_ROW_DESC || attribute == SQL_ATTR_APP_PARAM_DESC ||
         attribute == SQL_ATTR_IMP_ROW_DESC || attribute == SQL_ATTR_IMP_PARAM_DESC;
}

SQLRETURN set_stmt_attr(Statement& s, bool wide, SQLINTEGER attribute, SQLPOINTER value,
                        SQLINTEGER length) {
  const FunctionTable& fn = s.fn();
  if (is_descriptor_attribute(attribute) && value != nullptr) {
    Descriptor* d = find_handle<Descriptor>(value);
    if (d == nullptr) throw OdbcError("HY024", "Invalid attribute value: not a descriptor handle");
    value = d->target();
  }
  const bool target_wide = call_wide(wide, fn.SQLSetStmtAttr, fn.SQLSetStmtAttrW, "SQLSetStmtAttr");
  return target_wide ? fn.SQLSetStmtAttrW(s.target(), attribute, value, length)
                     : fn.SQLSetStmtAttr(s.target(), attribute, value, length);
}

SQLRETURN get_stmt_attr(Statement& s, bool wide, SQLINTEGER attribute, SQLPOINTER value,
                        SQLINTEGER capacity, SQLINTEGER* length) {
  const FunctionTable& fn = s.fn();
  const bool target_wide = call_wide(wide, fn.SQLGetStmtAttr, fn.SQLGetStmtAttrW, "SQLGetStmtAttr");
  if (!is_descriptor_attribute(attribute)) {
    return target_wide ? fn.SQLGetStmtAttrW(s.target(), attribute, value, capacity, length)
                       : fn.SQLGetStmtAttr(s.target(), attribute, value, capacity, length);
  }
  SQLHDESC target = SQL_NULL_HDESC;
  SQLINTEGER target_length = 0;
  SQLRETURN rc =
      target_wide
          ? fn.SQLGetStmtAttrW(s.target(), attribute, &target, sizeof target, &target_length)
          : fn.SQLGetStmtAttr(s.target(), attribute, &target, sizeof target, &target_length);
  if (!SQL_SUCCEEDED(rc)) return rc;
  SQLHDESC ours = s.descriptor_for(target);
  if (value != nullptr) std::memcpy(value, &ours, sizeof ours);
  set_length(length, sizeof ours);
  return rc;
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC handle, SQLINTEGER attribute,
                                                    SQLPOINTER value, SQLINTEGER length) {
  return guarded<Connection>(
      handle, [&](Connection& c) { return set_connect_attr(c, false, attribute, value, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC handle, SQLINTEGER attribute,
                                                     SQLPOINTER value, SQLINTEGER length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    c.note_wide_call();
    return set_connect_attr(c, true, attribute, value, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC handle, SQLINTEGER attribute,
                                                    SQLPOINTER value, SQLINTEGER capacity,
                                                    SQLINTEGER* length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return get_connect_attr(c, false, attribute, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC handle, SQLINTEGER attribute,
                                                     SQLPOINTER value, SQLINTEGER capacity,
                                                     SQLINTEGER* length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return get_connect_attr(c, true, attribute, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT handle, SQLINTEGER attribute,
                                                 SQLPOINTER value, SQLINTEGER length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return set_stmt_attr(s, false, attribute, value, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT handle, SQLINTEGER attribute,
                                                  SQLPOINTER value, SQLINTEGER length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return set_stmt_attr(s, true, attribute, value, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT handle, SQLINTEGER attribute,
                                                 SQLPOINTER value, SQLINTEGER capacity,
                                                 SQLINTEGER* length) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return get_stmt_attr(s, false, attribute, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT handle, SQLINTEGER attribute,
                                                  SQLPOINTER value, SQLINTEGER capacity,
                                                  SQLINTEGER* length) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return get_stmt_attr(s, true, attribute, value, capacity, length);
  });
}
