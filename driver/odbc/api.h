// Shared by the entry-point files: each exported function finds its handle,
// runs its body in the boundary wrapper, and forwards or calls the core.
#pragma once

#include "boundary.h"
#include "handles.h"
#include "target_library.h"
#include "text.h"
#include "unicode.h"

#define ODBCPOOL_EXPORT extern "C" __attribute__((visibility("default")))

namespace odbcpool {

inline SQLSMALLINT small(SQLLEN n) {
  return static_cast<SQLSMALLINT>(n > 32767 ? 32767 : n < -32768 ? -32768 : n);
}

template <class Len>
void set_length(Len* length, SQLLEN value) {
  if (length != nullptr) *length = static_cast<Len>(value);
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

}  // namespace odbcpool
