#include "text.h"

#include <cstring>

#include "errors.h"
#include "lengths.h"

namespace odbcpool {

bool call_wide(bool app_wide, bool has_ansi, bool has_wide, const char* name) {
  if (app_wide && has_wide) return true;
  if (!app_wide && has_ansi) return false;
  if (has_wide) return true;
  if (has_ansi) return false;
  throw OdbcError("IM001", std::string("the target driver does not support ") + name);
}

std::size_t TextIn::units() const {
  if (text_ == nullptr) return 0;
  if (length_ == SQL_NTS) {
    return wide_ ? std::char_traits<char16_t>::length(static_cast<const char16_t*>(text_))
                 : std::strlen(static_cast<const char*>(text_));
  }
  return length_ < 0 ? 0 : static_cast<std::size_t>(length_);
}

std::string TextIn::utf8() const {
  if (text_ == nullptr) return {};
  if (wide_) return to_utf8(WideView(static_cast<const char16_t*>(text_), units()));
  return std::string(static_cast<const char*>(text_), units());
}

SQLCHAR* TextIn::ansi_text() {
  if (!wide_ || text_ == nullptr) return static_cast<SQLCHAR*>(const_cast<void*>(text_));
  ansi_copy_ = utf8();
  return reinterpret_cast<SQLCHAR*>(ansi_copy_.data());
}

SQLINTEGER TextIn::ansi_length() {
  if (!wide_ || text_ == nullptr || length_ == SQL_NTS) return length_;
  if (ansi_copy_.empty() && units() > 0) ansi_text();
  return checked_length<SQLINTEGER>(ansi_copy_.size(), "the converted text");
}

SQLWCHAR* TextIn::wide_text() {
  if (wide_ || text_ == nullptr) return static_cast<SQLWCHAR*>(const_cast<void*>(text_));
  wide_copy_ = to_utf16(std::string_view(static_cast<const char*>(text_), units()));
  return reinterpret_cast<SQLWCHAR*>(wide_copy_.data());
}

SQLINTEGER TextIn::wide_length() {
  if (wide_ || text_ == nullptr || length_ == SQL_NTS) return length_;
  if (wide_copy_.empty() && units() > 0) wide_text();
  return checked_length<SQLINTEGER>(wide_copy_.size(), "the converted text");
}

namespace {

template <class CharT>
bool write_units(const std::basic_string<CharT>& text, SQLPOINTER buffer, SQLLEN capacity,
                 Units units, SQLLEN* length) {
  const SQLLEN full = units == Units::Bytes ? static_cast<SQLLEN>(text.size() * sizeof(CharT))
                                            : static_cast<SQLLEN>(text.size());
  if (length != nullptr) *length = full;
  const SQLLEN room_units =
      units == Units::Bytes ? capacity / static_cast<SQLLEN>(sizeof(CharT)) : capacity;
  if (buffer == nullptr || room_units <= 0) return !text.empty();
  std::size_t fit = static_cast<std::size_t>(room_units - 1);
  if constexpr (sizeof(CharT) == 1) {
    fit = utf8_prefix_fitting(std::string_view(text.data(), text.size()), fit);
  } else {
    fit = utf16_prefix_fitting(WideView(text.data(), text.size()), fit);
  }
  auto* out = static_cast<CharT*>(buffer);
  std::memcpy(out, text.data(), fit * sizeof(CharT));
  out[fit] = CharT{};
  return fit < text.size();
}

}  // namespace

bool TextOut::write(std::string_view utf8, SQLLEN* length) const {
  if (wide) return write_units(to_utf16(utf8), buffer, capacity, units, length);
  return write_units(std::string(utf8), buffer, capacity, units, length);
}

bool TextOut::write(WideView utf16, SQLLEN* length) const {
  if (wide) return write_units(WideString(utf16), buffer, capacity, units, length);
  return write_units(to_utf8(utf16), buffer, capacity, units, length);
}

}  // namespace odbcpool
