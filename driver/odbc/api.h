// Shared by the entry-point files: each exported function finds its handle,
// runs its body in the boundary wrapper, and forwards or calls the core.
#pragma once

#include "boundary.h"
#include "handles.h"
#include "lengths.h"
#include "target_library.h"
#include "text.h"
#include "unicode.h"

#define ODBCPOOL_EXPORT extern "C" __attribute__((visibility("default")))

namespace odbcpool {

// A buffer capacity for a SQLSMALLINT argument: clamping one only offers
// the target less of a buffer that is there, so it is safe.
inline SQLSMALLINT small(SQLLEN n) {
  return saturated<SQLSMALLINT>(n);
}

// An input text length for a SQLSMALLINT argument: SQL_NTS (and any other
// negative) passes as it is, a longer text than the argument can describe is
// refused with HY090, never cut.
inline SQLSMALLINT small_input(SQLINTEGER n, const char* what) {
  if (n < 0) return saturated<SQLSMALLINT>(n);
  return checked_length<SQLSMALLINT>(static_cast<std::size_t>(n), what);
}

// A length reported to the application: the most its type can say when the
// truth is more (the text itself is cut with 01004 by then).
template <class Len>
void set_length(Len* length, SQLLEN value) {
  if (length != nullptr) *length = saturated<Len>(value);
}

// Adds 01004 when the converted text did not fit the application's buffer.
inline SQLRETURN after_conversion(Handle& h, SQLRETURN rc, bool truncated) {
  if (!truncated) return rc;
  h.diag().add(DiagRecord::own("01004", "String data, right truncated"));
  return rc == SQL_SUCCESS ? SQL_SUCCESS_WITH_INFO : rc;
}

// A call with one text output. `call_ansi(SQLCHAR*, capacity, SQLLEN*)` and
// `call_wide_form(SQLWCHAR*, capacity, SQLLEN*)` call the target in either
// form; when the target has the application's form the application's buffer
// is passed straight through, otherwise the whole value is read in the
// target's form and converted into it.
template <class Len, class CallAnsi, class CallWide>
SQLRETURN text_out(Handle& h, bool wide, bool has_ansi, bool has_wide, const char* name,
                   const TextOut& out, Len* length, CallAnsi&& call_ansi,
                   CallWide&& call_wide_form) {
  const bool target_wide = call_wide(wide, has_ansi, has_wide, name);
  SQLLEN full = 0;
  SQLRETURN rc;
  if (target_wide == wide) {
    rc = wide ? call_wide_form(static_cast<SQLWCHAR*>(out.buffer), out.capacity, &full)
              : call_ansi(static_cast<SQLCHAR*>(out.buffer), out.capacity, &full);
  } else if (target_wide) {
    WideString text;
    rc = read_whole_text<char16_t>(
        [&](char16_t* b, SQLLEN cap, SQLLEN* len) {
          return call_wide_form(reinterpret_cast<SQLWCHAR*>(b), cap, len);
        },
        text, out.units);
    if (SQL_SUCCEEDED(rc)) rc = after_conversion(h, rc, out.write(text, &full) && out.buffer);
  } else {
    std::string text;
    rc = read_whole_text<char>(
        [&](char* b, SQLLEN cap, SQLLEN* len) {
          return call_ansi(reinterpret_cast<SQLCHAR*>(b), cap, len);
        },
        text, out.units);
    if (SQL_SUCCEEDED(rc)) rc = after_conversion(h, rc, out.write(text, &full) && out.buffer);
  }
  if (SQL_SUCCEEDED(rc)) set_length(length, full);
  return rc;
}

// Throws IM001 when the target lacks a function that has a single form.
template <class F>
F require(F f, const char* name) {
  if (f == nullptr)
    throw OdbcError("IM001", std::string("the target driver does not support ") + name);
  return f;
}

// SQLColAttribute(W) of the target, or its ODBC 2 SQLColAttributes(W)
// (same arguments; ODBC 2 numbers a few fields otherwise).
struct ColAttributeCall {
  decltype(&::SQLColAttribute) ansi;
  decltype(&::SQLColAttributeW) wide;
  const char* name;
  SQLUSMALLINT (*odbc3_field)(SQLUSMALLINT field);

  static SQLUSMALLINT same(SQLUSMALLINT field) { return field; }
  static ColAttributeCall of(const FunctionTable& fn) {
    return {fn.SQLColAttribute, fn.SQLColAttributeW, "SQLColAttribute", &same};
  }
};
SQLRETURN col_attribute(Statement& s, const ColAttributeCall& call, bool wide, SQLUSMALLINT column,
                        SQLUSMALLINT field, SQLPOINTER text, SQLSMALLINT capacity,
                        SQLSMALLINT* length, SQLLEN* numeric);

}  // namespace odbcpool
