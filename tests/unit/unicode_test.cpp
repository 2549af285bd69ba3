// UTF-8 <-> UTF-16 at the ANSI/wide boundary: exact round trips of every
// code point, U+FFFD for whatever is broken, and prefixes that never split
// a character.
#include "unicode.h"

#include <gtest/gtest.h>

#include <string>

#include "../fuzz/fuzz_checks.h"

namespace odbcpool {
namespace {

const std::u16string kReplacement = u"\xFFFD";

// A reference encoder, written from RFC 3629 independently of the code
// under test.
std::string encode_utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::u16string encode_utf16(char32_t cp) {
  if (cp < 0x10000) return std::u16string(1, static_cast<char16_t>(cp));
  const char32_t v = cp - 0x10000;
  return {static_cast<char16_t>(0xD800 | (v >> 10)), static_cast<char16_t>(0xDC00 | (v & 0x3FF))};
}

// Only U+FFFD, at least one.
bool all_replacement(const std::u16string& s) {
  return !s.empty() && s.find_first_not_of(u'\xFFFD') == std::u16string::npos;
}

// ---- valid text

TEST(Unicode, AsciiAndEmpty) {
  EXPECT_EQ(to_utf16(""), u"");
  EXPECT_EQ(to_utf8(u""), "");
  EXPECT_EQ(to_utf16("SELECT 1"), u"SELECT 1");
  EXPECT_EQ(to_utf8(u"SELECT 1"), "SELECT 1");
}

TEST(Unicode, EmbeddedNulIsAnOrdinaryCharacter) {
  EXPECT_EQ(to_utf16(std::string("a\0b", 3)), std::u16string(u"a\0b", 3));
  EXPECT_EQ(to_utf8(std::u16string(u"a\0b", 3)), std::string("a\0b", 3));
}

TEST(Unicode, BmpText) {
  EXPECT_EQ(to_utf16("h\xC3\xA9llo"), u"h\u00E9llo");
  EXPECT_EQ(to_utf8(u"h\u00E9llo"), "h\xC3\xA9llo");
  EXPECT_EQ(to_utf16("\xE2\x82\xAC"), u"\u20AC");  // euro sign
  EXPECT_EQ(to_utf16("\xEF\xBF\xBF"), u"\xFFFF");
}

TEST(Unicode, CjkText) {
  const std::string utf8 = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";  // 日本語
  const std::u16string utf16 = u"\u65E5\u672C\u8A9E";
  EXPECT_EQ(to_utf16(utf8), utf16);
  EXPECT_EQ(to_utf8(utf16), utf8);
}

TEST(Unicode, SurrogatePairs) {
  EXPECT_EQ(to_utf16("\xF0\x9F\x98\x80"), (std::u16string{0xD83D, 0xDE00}));  // U+1F600
  EXPECT_EQ(to_utf8(std::u16string{0xD83D, 0xDE00}), "\xF0\x9F\x98\x80");
  EXPECT_EQ(to_utf16("\xF4\x8F\xBF\xBF"), (std::u16string{0xDBFF, 0xDFFF}));  // U+10FFFF
  EXPECT_EQ(to_utf8(std::u16string{0xDBFF, 0xDFFF}), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(to_utf16("\xF0\x90\x80\x80"), (std::u16string{0xD800, 0xDC00}));  // U+10000
  EXPECT_EQ(to_utf8(std::u16string{0xD800, 0xDC00}), "\xF0\x90\x80\x80");
}

TEST(Unicode, EveryCodePointRoundTrips) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string utf8 = encode_utf8(cp);
    const std::u16string utf16 = encode_utf16(cp);
    const std::u16string got16 = to_utf16(utf8);
    const std::string got8 = to_utf8(utf16);
    if (got16 != utf16 || got8 != utf8) {
      FAIL() << "U+" << std::hex << static_cast<unsigned long>(cp);
    }
  }
}

// ---- ill-formed UTF-16

TEST(Unicode, LoneSurrogatesBecomeReplacementCharacters) {
  EXPECT_EQ(to_utf8(std::u16string{0xD83D}), "\xEF\xBF\xBD");  // high at the end
  EXPECT_EQ(to_utf8(std::u16string{0xDE00}), "\xEF\xBF\xBD");  // low alone
  EXPECT_EQ(to_utf8(std::u16string{0xD83D, u'a'}),
            "\xEF\xBF\xBD"
            "a");
  EXPECT_EQ(to_utf8(std::u16string{u'a', 0xDE00, u'b'}),
            "a\xEF\xBF\xBD"
            "b");
  // Reversed pair: two lone surrogates.
  EXPECT_EQ(to_utf8(std::u16string{0xDE00, 0xD83D}), "\xEF\xBF\xBD\xEF\xBF\xBD");
  // Two highs, then a low: the second high pairs with the low.
  EXPECT_EQ(to_utf8(std::u16string{0xD83D, 0xD83D, 0xDE00}), "\xEF\xBF\xBD\xF0\x9F\x98\x80");
}

TEST(Unicode, NoSurrogateEverReachesUtf8) {
  for (char32_t u = 0xD800; u <= 0xDFFF; ++u) {
    const std::string out = to_utf8(std::u16string(1, static_cast<char16_t>(u)));
    ASSERT_EQ(out, "\xEF\xBF\xBD") << std::hex << static_cast<unsigned>(u);
  }
}

// ---- ill-formed UTF-8

TEST(Unicode, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(to_utf16("a\xFF"
                     "b"),
            u"a\xFFFD"
            "b");
  EXPECT_EQ(to_utf16("\xFE"), kReplacement);
  EXPECT_EQ(to_utf16("\x80"), kReplacement);  // continuation without a lead
  EXPECT_EQ(to_utf16("a\xBF"
                     "b"),
            u"a\xFFFD"
            "b");
  EXPECT_TRUE(all_replacement(to_utf16("\xF8\x88\x80\x80\x80")));  // 5-byte form
}

TEST(Unicode, OverlongFormsNeverDecode) {
  // The classic attack: an overlong NUL or '/' must not come out as one.
  for (const char* overlong : {"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x80\xAF",
                               "\xE0\x9F\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF"}) {
    const std::u16string out = to_utf16(overlong);
    EXPECT_TRUE(all_replacement(out)) << ::testing::PrintToString(std::string(overlong));
  }
}

TEST(Unicode, EncodedSurrogatesNeverDecode) {
  for (const char* s : {"\xED\xA0\x80", "\xED\xAF\xBF", "\xED\xB0\x80", "\xED\xBF\xBF"}) {
    const std::u16string out = to_utf16(s);
    EXPECT_TRUE(all_replacement(out)) << ::testing::PrintToString(std::string(s));
  }
  // A CESU-8 style pair gives replacements, not the pair it encodes.
  EXPECT_TRUE(all_replacement(to_utf16("\xED\xA0\xBD\xED\xB8\x80")));
}

TEST(Unicode, CodePointsAboveTheMaximumNeverDecode) {
  EXPECT_TRUE(all_replacement(to_utf16("\xF4\x90\x80\x80")));
  EXPECT_TRUE(all_replacement(to_utf16("\xF7\xBF\xBF\xBF")));
}

TEST(Unicode, TruncatedSequencesDoNotSwallowWhatFollows) {
  EXPECT_TRUE(all_replacement(to_utf16("\xE2\x82")));
  EXPECT_TRUE(all_replacement(to_utf16("\xF0\x9F\x98")));
  EXPECT_TRUE(all_replacement(to_utf16("\xC3")));
  const std::u16string mid = to_utf16("a\xE2\x82z");
  ASSERT_GE(mid.size(), 3u);
  EXPECT_EQ(mid.front(), u'a');
  EXPECT_EQ(mid.back(), u'z');
  EXPECT_TRUE(all_replacement(mid.substr(1, mid.size() - 2)));
  // A truncated sequence followed by a complete character keeps the latter.
  const std::u16string two = to_utf16("\xE2\x82\xE2\x82\xAC");
  ASSERT_GE(two.size(), 2u);
  EXPECT_EQ(two.back(), u'\u20AC');
  EXPECT_TRUE(all_replacement(two.substr(0, two.size() - 1)));
}

// ---- prefixes

TEST(Unicode, Utf8PrefixFittingKeepsWholeCharacters) {
  const std::string text =
      "a\xE2\x82\xAC"
      "b\xF0\x9F\x98\x80";  // a € b 😀: 1+3+1+4 bytes
  EXPECT_EQ(utf8_prefix_fitting(text, 100), text.size());
  EXPECT_EQ(utf8_prefix_fitting(text, text.size()), text.size());
  EXPECT_EQ(utf8_prefix_fitting(text, 0), 0u);
  EXPECT_EQ(utf8_prefix_fitting(text, 1), 1u);
  EXPECT_EQ(utf8_prefix_fitting(text, 2), 1u);
  EXPECT_EQ(utf8_prefix_fitting(text, 3), 1u);
  EXPECT_EQ(utf8_prefix_fitting(text, 4), 4u);
  EXPECT_EQ(utf8_prefix_fitting(text, 5), 5u);
  EXPECT_EQ(utf8_prefix_fitting(text, 6), 5u);
  EXPECT_EQ(utf8_prefix_fitting(text, 8), 5u);
  EXPECT_EQ(utf8_prefix_fitting("\xF0\x9F\x98\x80", 3), 0u);
  EXPECT_EQ(utf8_prefix_fitting("", 0), 0u);
  EXPECT_EQ(utf8_prefix_fitting("abc", 2), 2u);
}

TEST(Unicode, Utf16PrefixFittingNeverSplitsAPair) {
  const std::u16string text = {u'a', 0xD83D, 0xDE00, u'b'};
  EXPECT_EQ(utf16_prefix_fitting(text, 10), 4u);
  EXPECT_EQ(utf16_prefix_fitting(text, 4), 4u);
  EXPECT_EQ(utf16_prefix_fitting(text, 3), 3u);
  EXPECT_EQ(utf16_prefix_fitting(text, 2), 1u);
  EXPECT_EQ(utf16_prefix_fitting(text, 1), 1u);
  EXPECT_EQ(utf16_prefix_fitting(text, 0), 0u);
  EXPECT_EQ(utf16_prefix_fitting(std::u16string{0xD83D, 0xDE00}, 1), 0u);
  EXPECT_EQ(utf16_prefix_fitting(u"", 0), 0u);
  EXPECT_EQ(utf16_prefix_fitting(u"\u65E5\u672C", 1), 1u);
}

TEST(Unicode, PrefixesOfEveryLengthAreWellFormed) {
  std::string utf8;
  for (char32_t cp : {U'a', U'\u00E9', U'\u20AC', U'\U0001F600', U'z', U'\U0010FFFF', U'\u65E5'}) {
    utf8 += encode_utf8(cp);
  }
  EXPECT_EQ(fuzz::detail::check_utf8_prefixes(utf8), "");
  EXPECT_EQ(fuzz::detail::check_utf16_prefixes(to_utf16(utf8)), "");
}

// ---- exhaustive short inputs (the fuzzer's properties)

TEST(Unicode, EveryOneAndTwoByteInputKeepsThePromises) {
  for (unsigned a = 0; a < 256; ++a) {
    const std::string one(1, static_cast<char>(a));
    ASSERT_EQ(fuzz::check_unicode(one), "") << a;
    for (unsigned b = 0; b < 256; ++b) {
      const std::string two = one + static_cast<char>(b);
      ASSERT_EQ(fuzz::check_unicode(two), "") << a << " " << b;
    }
  }
}

TEST(Unicode, EveryThreeByteInputWithAMultiByteLeadKeepsThePromises) {
  // Leads from 0xC0 on, followed by continuation bytes or ASCII: where the
  // decoder's decisions are made.
  const unsigned seconds[] = {0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC3, 0xE2, 0xF0, 0xFF};
  for (unsigned a = 0xC0; a < 256; ++a) {
    for (unsigned b : seconds) {
      for (unsigned c = 0; c < 256; ++c) {
        const std::string s = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        ASSERT_EQ(fuzz::check_unicode(s), "") << a << " " << b << " " << c;
      }
    }
  }
}

}  // namespace
}  // namespace odbcpool
