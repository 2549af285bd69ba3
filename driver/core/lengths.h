// Long input kept honest: a length handed across the ODBC boundary is never
// narrowed silently (a static_cast<SQLSMALLINT> of 40,000 is negative, of
// 70,000 a cut string), and a message that echoes a value the user gave
// stays short and printable however long the value was.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace odbcpool {

// `n` clamped into what Int can hold: for lengths reported back to an
// application whose ODBC type is narrower than the truth (a completed
// connection string of 100 KB in a SQLSMALLINT), where the most it can say
// beats a negative or wrapped number.
template <class Int, class N>
constexpr Int saturated(N n) {
  static_assert(std::is_integral_v<Int> && std::is_integral_v<N>);
  using Wide = std::conditional_t<std::is_signed_v<N>, long long, unsigned long long>;
  constexpr long long lo = static_cast<long long>(std::numeric_limits<Int>::min());
  constexpr unsigned long long hi =
      static_cast<unsigned long long>(std::numeric_limits<Int>::max());
  const Wide w = static_cast<Wide>(n);
  if constexpr (std::is_signed_v<N>) {
    if (w < lo) return std::numeric_limits<Int>::min();
    if (w >= 0 && static_cast<unsigned long long>(w) > hi) return std::numeric_limits<Int>::max();
  } else {
    if (w > hi) return std::numeric_limits<Int>::max();
  }
  return static_cast<Int>(n);
}

// `n` as Int, or OdbcError HY090 naming `what`, the length and the limit:
// for lengths passed on to a target, where a clamped length would cut the
// text.
template <class Int>
Int checked_length(std::size_t n, const char* what);

// For messages: `text` whole when it is at most `keep` bytes, else its first
// `keep` bytes (never splitting a UTF-8 character) and "... (N bytes)";
// NULs and other control characters shown as \xNN, so that a message never
// carries an embedded NUL.
std::string shortened(std::string_view text, std::size_t keep = 64);

}  // namespace odbcpool
