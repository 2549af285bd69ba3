// The properties the fuzzers check, shared with the unit tests that replay
// the seed inputs and the saved corpus (so that gcc builds, which have no
// libFuzzer, exercise them too). Each check returns an empty string when the
// input passes, else a description of what went wrong. Only what the core
// promises is checked; anything thrown that is not part of that promise
// escapes and fails the caller.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connect_config.h"
#include "connection_string.h"
#include "errors.h"
#include "ini_reader.h"
#include "target_connect_text.h"
#include "unicode.h"

namespace odbcpool::fuzz {

namespace detail {

inline std::string escaped(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// An independent strict UTF-8 validator (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t len;
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return false;
    }
    if (c == 0xE0 && b(i + 1) < 0xA0) return false;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return false;  // surrogate
    if (c == 0xF0 && b(i + 1) < 0x90) return false;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return false;  // above U+10FFFF
    i += len;
  }
  return true;
}

inline bool is_high(char16_t u) {
  return u >= 0xD800 && u <= 0xDBFF;
}
inline bool is_low(char16_t u) {
  return u >= 0xDC00 && u <= 0xDFFF;
}

inline bool well_formed_utf16(std::u16string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_high(s[i])) {
      if (i + 1 >= s.size() || !is_low(s[i + 1])) return false;
      ++i;
    } else if (is_low(s[i])) {
      return false;
    }
  }
  return true;
}

// Lone surrogates replaced by U+FFFD, pairs kept: what to_utf8 promises to
// carry over from ill-formed UTF-16.
inline std::u16string repaired_utf16(std::u16string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_high(s[i]) && i + 1 < s.size() && is_low(s[i + 1])) {
      out.push_back(s[i]);
      out.push_back(s[i + 1]);
      ++i;
    } else if (is_high(s[i]) || is_low(s[i])) {
      out.push_back(u'\xFFFD');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

inline std::string ascii_only(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x80) out.push_back(c);
  }
  return out;
}

inline std::string check_utf8_prefixes(std::string_view valid) {
  // Every cut from 0 to size (sampled on long inputs to stay fast).
  const std::size_t step = valid.size() > 256 ? valid.size() / 128 : 1;
  for (std::size_t max = 0; max <= valid.size() + 1; max += step) {
    const std::size_t n = utf8_prefix_fitting(valid, max);
    if (n > max || n > valid.size()) return "utf8_prefix_fitting went past its limit";
    if (max >= valid.size() && n != valid.size()) return "utf8_prefix_fitting cut a fitting text";
    if (!valid_utf8(valid.substr(0, n))) {
      return "utf8_prefix_fitting split a character of '" + escaped(valid) + "' at " +
             std::to_string(n) + " (max " + std::to_string(max) + ")";
    }
    if (max < valid.size() && max - n > 3) return "utf8_prefix_fitting gave up more than needed";
  }
  return {};
}

inline std::string check_utf16_prefixes(std::u16string_view valid) {
  const std::size_t step = valid.size() > 256 ? valid.size() / 128 : 1;
  for (std::size_t max = 0; max <= valid.size() + 1; max += step) {
    const std::size_t n = utf16_prefix_fitting(valid, max);
    if (n > max || n > valid.size()) return "utf16_prefix_fitting went past its limit";
    if (max >= valid.size() && n != valid.size()) return "utf16_prefix_fitting cut a fitting text";
    if (!well_formed_utf16(valid.substr(0, n))) return "utf16_prefix_fitting split a pair";
    if (max < valid.size() && max - n > 1) return "utf16_prefix_fitting gave up more than needed";
  }
  return {};
}

}  // namespace detail

// ConnectionString::parse either throws ConnectionStringError naming an
// offset inside the input, or gives entries that are well formed (unique
// keys, case-insensitively; no separators or braces in keys; no whitespace
// around keys) and survive to_string/parse unchanged.
inline std::string check_connection_string(std::string_view input) {
  ConnectionString parsed;
  try {
    parsed = ConnectionString::parse(input);
  } catch (const ConnectionStringError& e) {
    const std::string what = e.what();
    const std::string marker = "at offset ";
    const std::size_t at = what.find(marker);
    if (at == std::string::npos) return "error without an offset: " + what;
    const std::size_t digits = at + marker.size();
    std::size_t end = digits;
    while (end < what.size() && what[end] >= '0' && what[end] <= '9') ++end;
    if (end == digits) return "error without an offset: " + what;
    if (std::stoull(what.substr(digits, end - digits)) > input.size()) {
      return "error offset past the end of '" + detail::escaped(input) + "': " + what;
    }
    return {};
  }
  const auto& entries = parsed.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& key = entries[i].key;
    if (key.empty()) return "empty key from '" + detail::escaped(input) + "'";
    if (key.find_first_of(";={}") != std::string::npos) {
      return "key with a separator or brace: '" + detail::escaped(key) + "'";
    }
    if (detail::is_space(key.front()) || detail::is_space(key.back())) {
      return "untrimmed key '" + detail::escaped(key) + "'";
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (iequals(entries[j].key, key)) return "duplicate key '" + detail::escaped(key) + "'";
    }
    if (parsed.find(key) != &entries[i].value) return "find does not give the first occurrence";
  }
  const std::string text = parsed.to_string();
  ConnectionString again;
  try {
    again = ConnectionString::parse(text);
  } catch (const ConnectionStringError& e) {
    return "to_string of '" + detail::escaped(input) + "' gave '" + detail::escaped(text) +
           "', which does not parse: " + e.what();
  }
  const auto& back = again.entries();
  bool same = back.size() == entries.size();
  for (std::size_t i = 0; same && i < entries.size(); ++i) {
    same = back[i].key == entries[i].key && back[i].value == entries[i].value;
  }
  if (!same) {
    return "round trip of '" + detail::escaped(input) + "' through '" + detail::escaped(text) +
           "' changed the entries";
  }
  if (again.to_string() != text)
    return "to_string is not stable for '" + detail::escaped(text) + "'";
  return {};
}

// to_utf16/to_utf8 take any bytes: the input is read once as UTF-8 and once
// as UTF-16 (pairs of bytes, little-endian). Output is always well formed,
// valid input goes through unchanged, ASCII is never swallowed by a broken
// sequence, and the prefix functions never split a character.
inline std::string check_unicode(std::string_view input) {
  // As UTF-8.
  const std::u16string wide = to_utf16(input);
  if (!detail::well_formed_utf16(wide)) return "to_utf16 produced ill-formed UTF-16";
  const std::string narrow = to_utf8(wide);
  if (!detail::valid_utf8(narrow)) return "to_utf8(to_utf16(x)) is not valid UTF-8";
  if (detail::valid_utf8(input) && narrow != input) {
    return "valid UTF-8 '" + detail::escaped(input) + "' did not survive a round trip";
  }
  if (!detail::valid_utf8(input) && narrow.find("\xEF\xBF\xBD") == std::string::npos) {
    return "invalid UTF-8 '" + detail::escaped(input) + "' gave no U+FFFD";
  }
  if (detail::ascii_only(narrow) != detail::ascii_only(input)) {
    return "ASCII was lost or invented converting '" + detail::escaped(input) + "'";
  }
  if (to_utf16(narrow) != wide) return "to_utf16(to_utf8(w)) != w for well-formed w";
  if (std::string e = detail::check_utf8_prefixes(narrow); !e.empty()) return e;

  // As UTF-16.
  std::u16string units;
  for (std::size_t i = 0; i + 1 < input.size(); i += 2) {
    units.push_back(static_cast<char16_t>(static_cast<unsigned char>(input[i]) |
                                          (static_cast<unsigned char>(input[i + 1]) << 8)));
  }
  const std::string from_units = to_utf8(units);
  if (!detail::valid_utf8(from_units)) return "to_utf8 produced invalid UTF-8";
  if (to_utf16(from_units) != detail::repaired_utf16(units)) {
    return "to_utf16(to_utf8(w)) is not w with lone surrogates replaced";
  }
  if (std::string e = detail::check_utf16_prefixes(detail::repaired_utf16(units)); !e.empty()) {
    return e;
  }
  return {};
}

namespace detail {

// The configuration the connect path resolves against: a pooled DSN wrapping
// a direct one, and the driver behind it.
class FixedIni final : public IniReader {
 public:
  IniSection dsn_section(const std::string& dsn) override {
    if (iequals(dsn, "pooled")) return {{"Driver", "odbcpool"}, {"TargetDSN", "direct"}};
    if (iequals(dsn, "direct")) return {{"Driver", "Target"}, {"Servername", "db1"}};
    return {};
  }
  IniSection driver_section(const std::string& driver) override {
    if (iequals(driver, "Target")) return {{"Driver", "/usr/lib/target.so"}};
    if (iequals(driver, "odbcpool")) return {{"PoolMaxSize", "3"}};
    return {};
  }
  std::string dsn_files() const override { return "odbc.ini"; }
  std::string driver_file() const override { return "odbcinst.ini"; }
};

// Long inputs from small corpus files: every '~' stands for 8 KB of padding,
// so a seed of a dozen bytes reaches past 32 KB, 64 KB and 100 KB.
inline std::string expand_long(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c == '~' && out.size() < (104u << 10)) {
      out.append(8192, 'p');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// What odbcpool says about a long or odd input stays short and printable.
inline std::string check_message(const std::string& message, const std::string& context) {
  if (message.find('\0') != std::string::npos) return context + ": a message carries a NUL";
  if (message.size() > 2048) {
    return context + ": a message of " + std::to_string(message.size()) +
           " bytes: " + escaped(message.substr(0, 200));
  }
  return {};
}

inline bool is_meta(const std::string& key) {
  for (const char* meta : {"driver", "dsn", "description", "filedsn", "savefile"}) {
    if (iequals(key, meta)) return true;
  }
  return false;
}

inline bool has_nul(const ConnectionString& cs) {
  for (const auto& e : cs.entries()) {
    if (e.key.find('\0') != std::string::npos || e.value.find('\0') != std::string::npos) {
      return true;
    }
  }
  return false;
}

// One application string through parse -> resolve -> target string.
inline std::string check_one_connect(const std::string& text) {
  ConnectionString app;
  try {
    app = ConnectionString::parse(text);
  } catch (const ConnectionStringError& e) {
    return check_message(e.what(), "parse error");
  }
  FixedIni ini;
  ConnectConfig config;
  try {
    config = resolve_connect(app, ini);
  } catch (const OdbcError& e) {
    return check_message(e.what(), "resolve error");
  }
  for (const DiagRecord& w : config.warnings) {
    if (std::string e = check_message(w.message, "warning"); !e.empty()) return e;
  }
  // No key of the application's that is the target's may be lost or changed.
  for (const auto& e : app.entries()) {
    if (is_own_key(e.key) || is_meta(e.key) || to_lower(e.key).rfind("pool", 0) == 0) continue;
    const std::string* got = config.target_string.find(e.key);
    if (got == nullptr) return "key '" + escaped(e.key.substr(0, 80)) + "' lost on the way";
    if (*got != e.value) return "value of '" + escaped(e.key.substr(0, 80)) + "' changed";
  }
  const std::string whole = config.target_string.to_string();
  for (const bool wide : {false, true}) {
    const bool nul = has_nul(config.target_string);
    const bool too_long = wide && whole.size() > kMaxWideConnectString;
    std::string passed;
    try {
      passed = target_connect_text(config.target_string, wide);
    } catch (const OdbcError& e) {
      if (!nul && !too_long) return std::string("refused a string it can pass: ") + e.what();
      if (std::string m = check_message(e.what(), "refusal"); !m.empty()) return m;
      if (!nul &&
          std::string(e.what()).find(std::to_string(kMaxWideConnectString)) == std::string::npos) {
        return "a refusal that does not name the limit";
      }
      continue;
    }
    if (nul || too_long) return "passed a string the target cannot take whole";
    if (passed != whole) return "the target string is not the resolved one";
    // SQL_NTS: the target reads up to the first NUL, which must be the end.
    if (std::char_traits<char>::length(passed.c_str()) != passed.size()) {
      return "the target string would be cut at a NUL";
    }
  }
  return {};
}

}  // namespace detail

// The path from SQLDriverConnect[W]'s input to the target's connection
// string: the input (with '~' expanded to 8 KB of padding) read as the ANSI
// text and as the UTF-16 text the wide entry point converts, each alone and
// behind a prefix that makes it resolve, parsed, resolved and turned into
// the target string. Errors are OdbcError or ConnectionStringError with
// short, NUL-free messages; no key of the target's is lost; the target string
// is passed whole or refused.
inline std::string check_connect_path(std::string_view input) {
  const std::string ansi = detail::expand_long(input);
  std::u16string units;
  for (std::size_t i = 0; i + 1 < input.size(); i += 2) {
    units.push_back(static_cast<char16_t>(static_cast<unsigned char>(input[i]) |
                                          (static_cast<unsigned char>(input[i + 1]) << 8)));
  }
  const std::string from_wide = detail::expand_long(to_utf8(units));
  for (const std::string& text : {ansi, from_wide}) {
    for (const char* prefix : {"", "DSN=pooled;", "TargetDriver=Target;", "DSN=pooled;P~=~;"}) {
      const std::string e = detail::check_one_connect(detail::expand_long(prefix) + text);
      if (!e.empty()) return e;
    }
  }
  return {};
}

// Inputs every fuzzer starts from and every unit-test build replays.
inline const std::vector<std::string>& connection_string_seeds() {
  static const std::vector<std::string> seeds = {
      "",
      ";",
      ";;;",
      "DSN=orders",
      "DSN=orders;UID=bob;PWD=secret;",
      "DRIVER={odbcpool};TargetDriver={PostgreSQL Unicode};Servername=db1;",
      "PWD={a;b=c}};d};UID=x",
      "  key  =  value  ;  other = { spaced } ; ",
      "A=1;a=2;A=3",
      "K={}",
      "K={}}}}}};",
      "K=x}y;L=x{y;M=x=y",
      "K={unterminated",
      "K={a}b",
      "{K}=v",
      "K}=v",
      "novalue",
      "A=1;novalue",
      "=v",
      " = v",
      "K=\xE6\x97\xA5\xE6\x9C\xAC;\xF0\x9F\x98\x80=\xF0\x9F\x98\x80",
      "K=\xFF\xFE;\xC0\x80=x",
      std::string("K=a\0b;L=c", 9),
      "K=\t{x}\t;L=\r\n",
      "K={a}}b}}}",
      "K={;}",
  };
  return seeds;
}

// Small inputs that become long ones ('~' is 8 KB, see check_connect_path).
inline const std::vector<std::string>& connect_path_seeds() {
  static const std::vector<std::string> seeds = {
      "",
      "DSN=pooled",
      "DSN=pooled;Padding=~~~~;SSLmode=require",                   // 32 KB value
      "DSN=pooled;Padding=~~~~~;SSLmode=require",                  // 40 KB value
      "DSN=pooled;Padding=~~~~~~~~~;SSLmode=require",              // 72 KB value
      "DSN=pooled;Padding=~~~~~~~~~~~~~;SSLmode=require",          // 104 KB value
      "DSN=pooled;K~~~~~=1;SSLmode=require",                       // 40 KB key name
      "DSN=pooled;K~~~~~~~~~~~~~=1;SSLmode=require",               // 104 KB key name
      "TargetDriver=Target;Padding={~~~~~;}};};SSLmode=require",   // braces
      "TargetDSN=~~~~~~~~~~~~~",                                   // a 104 KB DSN name
      "DSN=pooled;PoolMaxSize=~~~~~",                              // a 40 KB bad value
      "DSN=pooled;Pool~~~~~=1",                                    // a 40 KB unknown Pool* key
      std::string("DSN=pooled;Padding=a\0b;SSLmode=require", 38),  // NUL: refused
      "DSN=pooled;P=~~~",                                          // 24 KB: fits a wide connect
  };
  return seeds;
}

inline const std::vector<std::string>& unicode_seeds() {
  static const std::vector<std::string> seeds = {
      "",
      "plain ascii",
      "h\xC3\xA9llo w\xC3\xB6rld",                     // Latin-1 range
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",          // CJK
      "\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF",             // U+1F600, U+10FFFF
      "\xEF\xBF\xBF\xEF\xBF\xBD",                      // U+FFFF, U+FFFD
      "\xC0\x80\xC1\xBF\xE0\x80\x80\xF0\x80\x80\x80",  // overlongs
      "\xED\xA0\x80\xED\xBF\xBF",                      // encoded surrogates
      "\xF4\x90\x80\x80",                              // above U+10FFFF
      "\xE2\x82",                                      // truncated
      "a\xE2\x82z",                                    // truncated, then ASCII
      "\xF0\x9F\x98",                                  // truncated 4-byte
      "\xFF\xFE\xFD\xF8\x80\x80\x80\x80\x80",          // never valid
      "\x80\xBF",                                      // lone continuations
      std::string("\x3D\xD8\x00\xDE", 4),              // UTF-16LE U+1F600
      std::string("\x00\xD8\x41\x00", 4),              // UTF-16LE lone high surrogate
      std::string("\x00\xDC\x00\xD8", 4),              // UTF-16LE reversed pair
      std::string("\xFF\xDB\xFF\xDF", 4),              // UTF-16LE U+10FFFF
  };
  return seeds;
}

}  // namespace odbcpool::fuzz
