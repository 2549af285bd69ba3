// Lengths never narrowed silently, echoes of long values kept short, and
// the target connection string passed whole or refused (issue 10).
#include "lengths.h"

#include <gtest/gtest.h>

#include <string>

#include "errors.h"
#include "odbc.h"
#include "settings.h"
#include "target_connect.h"

namespace odbcpool {
namespace {

TEST(Saturated, KeepsWhatFits) {
  EXPECT_EQ(saturated<SQLSMALLINT>(0), 0);
  EXPECT_EQ(saturated<SQLSMALLINT>(32767), 32767);
  EXPECT_EQ(saturated<SQLSMALLINT>(-32768), -32768);
  EXPECT_EQ(saturated<SQLINTEGER>(std::size_t{123}), 123);
}

TEST(Saturated, ClampsWhatDoesNot) {
  // A static_cast would give -32768, 2048 and 1 here.
  EXPECT_EQ(saturated<SQLSMALLINT>(32768), 32767);
  EXPECT_EQ(saturated<SQLSMALLINT>(SQLLEN{67584}), 32767);
  EXPECT_EQ(saturated<SQLSMALLINT>(std::size_t{65537}), 32767);
  EXPECT_EQ(saturated<SQLSMALLINT>(SQLLEN{-40000}), -32768);
  EXPECT_EQ(saturated<SQLINTEGER>(std::size_t{1} << 40), 2147483647);
  EXPECT_EQ(saturated<SQLUSMALLINT>(-1), 0);
}

TEST(CheckedLength, PassesWhatFits) {
  EXPECT_EQ(checked_length<SQLSMALLINT>(32767, "x"), 32767);
  EXPECT_EQ(checked_length<SQLINTEGER>(100000, "x"), 100000);
}

TEST(CheckedLength, RefusesNamingTheLimit) {
  try {
    checked_length<SQLSMALLINT>(40960, "the text");
    FAIL() << "no error";
  } catch (const OdbcError& e) {
    EXPECT_EQ(e.sqlstate(), "HY090");
    const std::string what = e.what();
    EXPECT_NE(what.find("the text"), std::string::npos) << what;
    EXPECT_NE(what.find("40960"), std::string::npos) << what;
    EXPECT_NE(what.find("32767"), std::string::npos) << what;
  }
}

TEST(Shortened, ShortTextIsKept) {
  EXPECT_EQ(shortened(""), "");
  EXPECT_EQ(shortened("orders"), "orders");
  EXPECT_EQ(shortened(std::string(64, 'x')), std::string(64, 'x'));
}

TEST(Shortened, LongTextIsCutAndMeasured) {
  EXPECT_EQ(shortened(std::string(102400, 'x')), std::string(64, 'x') + "... (102400 bytes)");
  EXPECT_EQ(shortened(std::string(200, 'k'), 128), std::string(128, 'k') + "... (200 bytes)");
}

TEST(Shortened, NeverSplitsACharacter) {
  // 63 ASCII bytes, then a 3-byte character across the 64-byte cut.
  const std::string text = std::string(63, 'a') + "\xE6\x97\xA5" + "tail";
  EXPECT_EQ(shortened(text), std::string(63, 'a') + "... (70 bytes)");
}

TEST(Shortened, NeverCarriesANul) {
  const std::string text("a\0b\x01", 4);
  const std::string s = shortened(text);
  EXPECT_EQ(s, "a\\x00b\\x01");
  EXPECT_EQ(s.find('\0'), std::string::npos);
}

// ---- the target connection string

ConnectionString padded(std::size_t bytes, bool key) {
  ConnectionString cs;
  cs.set("DRIVER", "PostgreSQL Unicode");
  if (key) {
    cs.set(std::string(bytes, 'K'), "1");
  } else {
    cs.set("Padding", std::string(bytes, 'x'));
  }
  cs.set("SSLmode", "require");
  return cs;
}

std::string refusal(const ConnectionString& cs, bool wide) {
  try {
    target_connect_text(cs, wide);
  } catch (const OdbcError& e) {
    return e.sqlstate() + ": " + e.what();
  }
  return "";
}

TEST(TargetConnectText, AnsiPassesEveryLengthWhole) {
  for (const std::size_t bytes : {32u * 1024, 40u * 1024, 66u * 1024, 100u * 1024}) {
    for (const bool key : {false, true}) {
      const ConnectionString cs = padded(bytes, key);
      const std::string text = target_connect_text(cs, false);
      EXPECT_EQ(text, cs.to_string());
      EXPECT_EQ(text.substr(text.size() - 17), ";SSLmode=require;");
    }
  }
}

TEST(TargetConnectText, WideTakesUpToTheLimit) {
  ConnectionString cs;
  cs.set("DRIVER", "x");  // "DRIVER=x;P=...;" is 12 bytes and the value
  cs.set("P", std::string(kMaxWideConnectString - 12, 'x'));
  ASSERT_EQ(cs.to_string().size(), kMaxWideConnectString);
  EXPECT_EQ(target_connect_text(cs, true), cs.to_string());
  cs.set("P", std::string(kMaxWideConnectString - 11, 'x'));
  EXPECT_NE(refusal(cs, true), "");
}

TEST(TargetConnectText, WideRefusesLongerNamingTheLimit) {
  for (const std::size_t bytes : {32u * 1024, 40u * 1024, 66u * 1024, 100u * 1024}) {
    for (const bool key : {false, true}) {
      const std::string e = refusal(padded(bytes, key), true);
      EXPECT_EQ(e.rfind("HY000: ", 0), 0u) << e;
      EXPECT_NE(e.find("32767"), std::string::npos) << e;
      EXPECT_NE(e.find(std::to_string(padded(bytes, key).to_string().size())), std::string::npos)
          << e;
      EXPECT_LT(e.size(), 400u);
    }
  }
}

TEST(TargetConnectText, ANulWouldCutTheStringSoItIsRefused) {
  ConnectionString cs;
  cs.set("DRIVER", "x");
  cs.set("Padding", std::string("a\0b", 3));
  cs.set("SSLmode", "require");
  for (const bool wide : {false, true}) {
    const std::string e = refusal(cs, wide);
    EXPECT_EQ(e.rfind("HY000: ", 0), 0u) << e;
    EXPECT_NE(e.find("'Padding'"), std::string::npos) << e;
    EXPECT_NE(e.find("NUL"), std::string::npos) << e;
  }
  ConnectionString key;
  key.set(std::string("K\0", 2) + std::string(1000, 'k'), "v");
  const std::string e = refusal(key, false);
  EXPECT_NE(e.find("name"), std::string::npos) << e;
  EXPECT_EQ(e.find('\0'), std::string::npos);
  EXPECT_LT(e.size(), 400u);
}

// ---- configuration errors echo a shortened value

TEST(SettingsMessages, ABadLongValueIsShortened) {
  ConnectConfig config;
  config.own["poolmaxsize"] = ConfigValue{std::string(40 * 1024, '9') + std::string("\0x", 2),
                                          ConfigSource::ConnectionString, "the connection string"};
  try {
    parse_settings(config);
    FAIL() << "no error";
  } catch (const OdbcError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.sqlstate(), "HY000");
    EXPECT_LT(what.size(), 300u) << what;
    EXPECT_NE(what.find("PoolMaxSize"), std::string::npos) << what;
    EXPECT_NE(what.find("(40962 bytes)"), std::string::npos) << what;
    EXPECT_EQ(what.find('\0'), std::string::npos);
  }
}

}  // namespace
}  // namespace odbcpool
