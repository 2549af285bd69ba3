#include <cstring>

#include "floor_driver.h"

namespace floor_driver {

SQLRETURN copy_text(const char* text, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* length) {
  const auto size = static_cast<SQLLEN>(std::strlen(text));
  if (length != nullptr) *length = size;
  if (buffer == nullptr || capacity <= 0) return size == 0 ? SQL_SUCCESS : SQL_SUCCESS_WITH_INFO;
  const SQLLEN copied = size < capacity ? size : capacity - 1;
  std::memcpy(buffer, text, static_cast<std::size_t>(copied));
  static_cast<char*>(buffer)[copied] = '\0';
  return copied == size ? SQL_SUCCESS : SQL_SUCCESS_WITH_INFO;
}

SQLRETURN copy_wide_text(const char* text, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* length) {
  const auto units = static_cast<SQLLEN>(std::strlen(text));
  if (length != nullptr) *length = units * static_cast<SQLLEN>(sizeof(SQLWCHAR));
  const SQLLEN room = capacity / static_cast<SQLLEN>(sizeof(SQLWCHAR));
  if (buffer == nullptr || room <= 0) return units == 0 ? SQL_SUCCESS : SQL_SUCCESS_WITH_INFO;
  const SQLLEN copied = units < room ? units : room - 1;
  auto* out = static_cast<SQLWCHAR*>(buffer);
  for (SQLLEN i = 0; i < copied; ++i) out[i] = static_cast<SQLWCHAR>(text[i]);
  out[copied] = 0;
  return copied == units ? SQL_SUCCESS : SQL_SUCCESS_WITH_INFO;
}

}  // namespace floor_driver
