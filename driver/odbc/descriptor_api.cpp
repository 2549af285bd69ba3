// Descriptors: fields and records, text fields converted between forms.
#include "api.h"
#include "text_attributes.h"

using namespace odbcpool;

namespace {

SQLRETURN get_desc_field(Descriptor& d, bool wide, SQLSMALLINT record, SQLSMALLINT field,
                         SQLPOINTER value, SQLINTEGER capacity, SQLINTEGER* length) {
  const FunctionTable& fn = d.fn();
  if (!is_text_descriptor_field(field)) {
    const bool target_wide =
        call_wide(wide, fn.SQLGetDescField, fn.SQLGetDescFieldW, "SQLGetDescField");
    return target_wide ? fn.SQLGetDescFieldW(d.target(), record, field, value, capacity, length)
                       : fn.SQLGetDescField(d.target(), record, field, value, capacity, length);
  }
  return text_out(
      d, wide, fn.SQLGetDescField != nullptr, fn.SQLGetDescFieldW != nullptr, "SQLGetDescField",
      TextOut{wide, value, capacity, Units::Bytes}, length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc =
            fn.SQLGetDescField(d.target(), record, field, b, saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc =
            fn.SQLGetDescFieldW(d.target(), record, field, b, saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      });
}

SQLRETURN set_desc_field(Descriptor& d, bool wide, SQLSMALLINT record, SQLSMALLINT field,
                         SQLPOINTER value, SQLINTEGER length) {
  const FunctionTable& fn = d.fn();
  const bool target_wide =
      call_wide(wide, fn.SQLSetDescField, fn.SQLSetDescFieldW, "SQLSetDescField");
  if (target_wide == wide || !is_text_descriptor_field(field) || value == nullptr) {
    return target_wide ? fn.SQLSetDescFieldW(d.target(), record, field, value, length)
                       : fn.SQLSetDescField(d.target(), record, field, value, length);
  }
  const SQLINTEGER units = length < 0 ? SQL_NTS
                           : wide     ? length / static_cast<SQLINTEGER>(sizeof(SQLWCHAR))
                                      : length;
  TextIn text = wide ? TextIn::wide(static_cast<SQLWCHAR*>(value), units)
                     : TextIn::ansi(static_cast<SQLCHAR*>(value), units);
  if (target_wide) {
    return fn.SQLSetDescFieldW(d.target(), record, field, text.wide_text(), SQL_NTS);
  }
  return fn.SQLSetDescField(d.target(), record, field, text.ansi_text(), SQL_NTS);
}

SQLRETURN get_desc_rec(Descriptor& d, bool wide, SQLSMALLINT record, SQLPOINTER name,
                       SQLSMALLINT capacity, SQLSMALLINT* name_length, SQLSMALLINT* type,
                       SQLSMALLINT* subtype, SQLLEN* length, SQLSMALLINT* precision,
                       SQLSMALLINT* scale, SQLSMALLINT* nullable) {
  const FunctionTable& fn = d.fn();
  return text_out(
      d, wide, fn.SQLGetDescRec != nullptr, fn.SQLGetDescRecW != nullptr, "SQLGetDescRec",
      TextOut{wide, name, capacity, Units::Characters}, name_length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetDescRec(d.target(), record, b, small(cap), &n, type, subtype,
                                        length, precision, scale, nullable);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetDescRecW(d.target(), record, b, small(cap), &n, type, subtype,
                                         length, precision, scale, nullable);
        *len = n;
        return rc;
      });
}

SQLRETURN copy_desc(Descriptor& source, Descriptor& target) {
  return require(source.fn().SQLCopyDesc, "SQLCopyDesc")(source.target(), target.target());
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDescField(SQLHDESC handle, SQLSMALLINT record,
                                                  SQLSMALLINT field, SQLPOINTER value,
                                                  SQLINTEGER capacity, SQLINTEGER* length) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return get_desc_field(d, false, record, field, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDescFieldW(SQLHDESC handle, SQLSMALLINT record,
                                                   SQLSMALLINT field, SQLPOINTER value,
                                                   SQLINTEGER capacity, SQLINTEGER* length) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return get_desc_field(d, true, record, field, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetDescField(SQLHDESC handle, SQLSMALLINT record,
                                                  SQLSMALLINT field, SQLPOINTER value,
                                                  SQLINTEGER length) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return set_desc_field(d, false, record, field, value, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetDescFieldW(SQLHDESC handle, SQLSMALLINT record,
                                                   SQLSMALLINT field, SQLPOINTER value,
                                                   SQLINTEGER length) {
  return guarded<Descriptor>(
      handle, [&](Descriptor& d) { return set_desc_field(d, true, record, field, value, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDescRec(SQLHDESC handle, SQLSMALLINT record, SQLCHAR* name,
                                                SQLSMALLINT capacity, SQLSMALLINT* name_length,
                                                SQLSMALLINT* type, SQLSMALLINT* subtype,
                                                SQLLEN* length, SQLSMALLINT* precision,
                                                SQLSMALLINT* scale, SQLSMALLINT* nullable) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return get_desc_rec(d, false, record, name, capacity, name_length, type, subtype, length,
                        precision, scale, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDescRecW(SQLHDESC handle, SQLSMALLINT record,
                                                 SQLWCHAR* name, SQLSMALLINT capacity,
                                                 SQLSMALLINT* name_length, SQLSMALLINT* type,
                                                 SQLSMALLINT* subtype, SQLLEN* length,
                                                 SQLSMALLINT* precision, SQLSMALLINT* scale,
                                                 SQLSMALLINT* nullable) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return get_desc_rec(d, true, record, name, capacity, name_length, type, subtype, length,
                        precision, scale, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetDescRec(SQLHDESC handle, SQLSMALLINT record,
                                                SQLSMALLINT type, SQLSMALLINT subtype,
                                                SQLLEN length, SQLSMALLINT precision,
                                                SQLSMALLINT scale, SQLPOINTER data,
                                                SQLLEN* string_length, SQLLEN* indicator) {
  return guarded<Descriptor>(handle, [&](Descriptor& d) {
    return require(d.fn().SQLSetDescRec, "SQLSetDescRec")(d.target(), record, type, subtype, length,
                                                          precision, scale, data, string_length,
                                                          indicator);
  });
}

// The Driver Manager reads SQLCopyDesc's diagnostics from the target
// descriptor (DriverManager/SQLCopyDesc.c), so the call runs on its area.
ODBCPOOL_EXPORT SQLRETURN SQL_API SQLCopyDesc(SQLHDESC source, SQLHDESC target) {
  Descriptor* from = find_handle<Descriptor>(source);
  if (from == nullptr) return SQL_INVALID_HANDLE;
  return guarded<Descriptor>(target, [&](Descriptor& to) { return copy_desc(*from, to); });
}
