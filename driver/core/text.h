// Text arguments at the ANSI/wide boundary. When the application and the
// target use the same form, pointers pass through untouched; otherwise the
// text is converted (UTF-8 <-> UTF-16), and output buffers are filled with
// the ODBC rules: NUL-terminated, cut to fit, the full length reported, in
// characters or in bytes as each function defines.
#pragma once

#include <string>
#include <string_view>

#include "odbc.h"
#include "unicode.h"

namespace odbcpool {

// Picks the target form for a call made in `app_wide` form: the same form
// when the target has it, else the other one. Throws IM001 when it has
// neither.
bool call_wide(bool app_wide, bool has_ansi, bool has_wide, const char* name);
template <class A, class W>
bool call_wide(bool app_wide, A ansi_fn, W wide_fn, const char* name) {
  return call_wide(app_wide, ansi_fn != nullptr, wide_fn != nullptr, name);
}

class TextIn {
 public:
  static TextIn ansi(const SQLCHAR* text, SQLINTEGER length) { return TextIn(false, text, length); }
  static TextIn wide(const SQLWCHAR* text, SQLINTEGER length) { return TextIn(true, text, length); }

  bool is_wide() const { return wide_; }
  bool is_null() const { return text_ == nullptr; }

  // The text in the requested form; a converted copy lives in this object.
  SQLCHAR* ansi_text();
  SQLINTEGER ansi_length();
  SQLWCHAR* wide_text();
  SQLINTEGER wide_length();

  // The whole text as UTF-8 (for text odbcpool reads itself).
  std::string utf8() const;

 private:
  TextIn(bool wide, const void* text, SQLINTEGER length)
      : wide_(wide), text_(text), length_(length) {}
  std::size_t units() const;

  bool wide_;
  const void* text_;
  SQLINTEGER length_;
  std::string ansi_copy_;
  WideString wide_copy_;
};

enum class Units { Characters, Bytes };

// An application's output buffer for text.
struct TextOut {
  bool wide;
  SQLPOINTER buffer;
  SQLLEN capacity;  // in `units`
  Units units;

  // Writes the text in the application's form; returns true when it was cut
  // to fit. `length` receives the full length in `units`.
  bool write(std::string_view utf8, SQLLEN* length) const;
  bool write(WideView utf16, SQLLEN* length) const;
};

// Calls `call(buffer, capacity, &length)` of a target function answering in
// CharT, growing the scratch buffer until the whole value fits.
template <class CharT, class Call>
SQLRETURN read_whole_text(Call&& call, std::basic_string<CharT>& out, Units units) {
  std::size_t capacity = 512;  // in CharT
  for (int attempt = 0;; ++attempt) {
    out.assign(capacity, CharT{});
    SQLLEN length = 0;
    const SQLLEN cap = units == Units::Bytes ? static_cast<SQLLEN>(capacity * sizeof(CharT))
                                             : static_cast<SQLLEN>(capacity);
    SQLRETURN rc = call(out.data(), cap, &length);
    if (!SQL_SUCCEEDED(rc)) {
      out.clear();
      return rc;
    }
    std::size_t n;
    if (length == SQL_NO_TOTAL || length < 0) {
      n = std::char_traits<CharT>::length(out.data());
    } else {
      n = units == Units::Bytes ? static_cast<std::size_t>(length) / sizeof(CharT)
                                : static_cast<std::size_t>(length);
    }
    if (n < capacity || attempt >= 3) {
      out.resize(std::min(n, capacity - 1));
      return rc;
    }
    capacity = n + 1;
  }
}

}  // namespace odbcpool
