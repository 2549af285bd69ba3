// Text arguments at the ANSI/wide boundary: input text in either form,
// output buffers filled by the ODBC rules, reading a whole value from a
// target, and choosing which form of a function to call.
#include "text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"

namespace odbcpool {
namespace {

const SQLCHAR* ansi(const char* s) {
  return reinterpret_cast<const SQLCHAR*>(s);
}
const SQLWCHAR* wide(const char16_t* s) {
  return reinterpret_cast<const SQLWCHAR*>(s);
}
std::string as_string(const SQLCHAR* s) {
  return reinterpret_cast<const char*>(s);
}
std::string as_string(const SQLCHAR* s, SQLINTEGER n) {
  return std::string(reinterpret_cast<const char*>(s), static_cast<std::size_t>(n));
}
std::u16string as_u16(const SQLWCHAR* s) {
  return reinterpret_cast<const char16_t*>(s);
}
std::u16string as_u16(const SQLWCHAR* s, SQLINTEGER n) {
  return std::u16string(reinterpret_cast<const char16_t*>(s), static_cast<std::size_t>(n));
}

// ---- call_wide

TEST(CallWide, PrefersTheApplicationsOwnForm) {
  EXPECT_TRUE(call_wide(true, true, true, "SQLExecDirect"));
  EXPECT_FALSE(call_wide(false, true, true, "SQLExecDirect"));
}

TEST(CallWide, FallsBackToTheOtherForm) {
  EXPECT_FALSE(call_wide(true, true, false, "SQLExecDirect"));
  EXPECT_TRUE(call_wide(false, false, true, "SQLExecDirect"));
}

TEST(CallWide, ThrowsIm001NamingTheFunctionWhenTheTargetHasNeither) {
  for (bool app_wide : {false, true}) {
    try {
      call_wide(app_wide, false, false, "SQLForeignKeys");
      ADD_FAILURE() << "no exception";
    } catch (const OdbcError& e) {
      EXPECT_EQ(e.sqlstate(), "IM001");
      EXPECT_NE(std::string(e.what()).find("SQLForeignKeys"), std::string::npos) << e.what();
    }
  }
}

SQLRETURN fake_ansi(SQLHSTMT, SQLCHAR*, SQLINTEGER) {
  return SQL_SUCCESS;
}
SQLRETURN fake_wide(SQLHSTMT, SQLWCHAR*, SQLINTEGER) {
  return SQL_SUCCESS;
}

TEST(CallWide, TakesFunctionPointers) {
  using A = decltype(&fake_ansi);
  using W = decltype(&fake_wide);
  EXPECT_TRUE(call_wide(true, &fake_ansi, &fake_wide, "F"));
  EXPECT_FALSE(call_wide(true, &fake_ansi, W{nullptr}, "F"));
  EXPECT_TRUE(call_wide(false, A{nullptr}, &fake_wide, "F"));
  EXPECT_THROW(call_wide(false, A{nullptr}, W{nullptr}, "F"), OdbcError);
}

// ---- TextIn

TEST(TextIn, AnsiNtsPassesThroughUntouched) {
  const char* sql = "SELECT 'h\xC3\xA9'";
  TextIn in = TextIn::ansi(ansi(sql), SQL_NTS);
  EXPECT_FALSE(in.is_wide());
  EXPECT_FALSE(in.is_null());
  EXPECT_EQ(in.ansi_text(), ansi(sql));  // the very same pointer
  EXPECT_EQ(in.ansi_length(), SQL_NTS);
  EXPECT_EQ(in.utf8(), sql);
}

TEST(TextIn, AnsiNtsConvertedToWide) {
  TextIn in = TextIn::ansi(ansi("SELECT 'h\xC3\xA9'"), SQL_NTS);
  SQLWCHAR* w = in.wide_text();
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(as_u16(w), u"SELECT 'h\u00E9'");  // and NUL-terminated
  EXPECT_EQ(in.wide_length(), SQL_NTS);
}

TEST(TextIn, AnsiWithAnExplicitLengthTakesOnlyThatMuch) {
  const char* text = "h\xC3\xA9llo world";
  TextIn in = TextIn::ansi(ansi(text), 6);  // "héllo" is 6 bytes
  EXPECT_EQ(in.ansi_text(), ansi(text));
  EXPECT_EQ(in.ansi_length(), 6);
  EXPECT_EQ(in.utf8(), "h\xC3\xA9llo");
  SQLWCHAR* w = in.wide_text();
  EXPECT_EQ(in.wide_length(), 5);
  EXPECT_EQ(as_u16(w, 5), u"h\u00E9llo");
}

TEST(TextIn, AnsiLengthBeforeTextGivesTheSameConversion) {
  TextIn in = TextIn::ansi(ansi("\xE6\x97\xA5\xE6\x9C\xAC!"), 7);
  EXPECT_EQ(in.wide_length(), 3);  // first, as argument evaluation may order it
  SQLWCHAR* w = in.wide_text();
  EXPECT_EQ(in.wide_length(), 3);
  EXPECT_EQ(as_u16(w, 3), u"\u65E5\u672C!");
}

TEST(TextIn, WideNtsPassesThroughUntouched) {
  const char16_t* sql = u"SELECT '\u65E5'";
  TextIn in = TextIn::wide(wide(sql), SQL_NTS);
  EXPECT_TRUE(in.is_wide());
  EXPECT_EQ(in.wide_text(), wide(sql));
  EXPECT_EQ(in.wide_length(), SQL_NTS);
  EXPECT_EQ(in.utf8(), "SELECT '\xE6\x97\xA5'");
}

TEST(TextIn, WideNtsConvertedToAnsi) {
  TextIn in = TextIn::wide(wide(u"SELECT '\u65E5'"), SQL_NTS);
  SQLCHAR* a = in.ansi_text();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(as_string(a), "SELECT '\xE6\x97\xA5'");
  EXPECT_EQ(in.ansi_length(), SQL_NTS);
}

TEST(TextIn, WideWithAnExplicitLengthGivesTheLengthInBytesOfUtf8) {
  const char16_t text[] = {u'\u65E5', u'\u672C', 0xD83D, 0xDE00, u'x', u'y', 0};
  TextIn in = TextIn::wide(wide(text), 4);  // 日本😀
  SQLCHAR* a = in.ansi_text();
  EXPECT_EQ(in.ansi_length(), 10);  // 3 + 3 + 4
  EXPECT_EQ(as_string(a, 10), "\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(in.utf8(), "\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x98\x80");
  // Lengths asked first work the same.
  TextIn again = TextIn::wide(wide(text), 4);
  EXPECT_EQ(again.ansi_length(), 10);
  EXPECT_EQ(as_string(again.ansi_text(), 10), as_string(a, 10));
}

TEST(TextIn, WideWithALoneSurrogateStillConverts) {
  const char16_t text[] = {u'a', 0xD800, u'b', 0};
  TextIn in = TextIn::wide(wide(text), SQL_NTS);
  EXPECT_EQ(as_string(in.ansi_text()),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(TextIn, ZeroLengthIsEmptyButNotNull) {
  TextIn a = TextIn::ansi(ansi("ignored"), 0);
  EXPECT_FALSE(a.is_null());
  EXPECT_EQ(a.utf8(), "");
  EXPECT_NE(a.wide_text(), nullptr);
  EXPECT_EQ(a.wide_length(), 0);
  TextIn w = TextIn::wide(wide(u"ignored"), 0);
  EXPECT_NE(w.ansi_text(), nullptr);
  EXPECT_EQ(w.ansi_length(), 0);
  EXPECT_EQ(w.utf8(), "");
}

TEST(TextIn, NullPointersStayNull) {
  for (SQLINTEGER length : {SQL_NTS, 0, 5}) {
    TextIn a = TextIn::ansi(nullptr, length);
    EXPECT_TRUE(a.is_null());
    EXPECT_EQ(a.ansi_text(), nullptr);
    EXPECT_EQ(a.wide_text(), nullptr);
    EXPECT_EQ(a.ansi_length(), length);
    EXPECT_EQ(a.wide_length(), length);
    EXPECT_EQ(a.utf8(), "");
    TextIn w = TextIn::wide(nullptr, length);
    EXPECT_TRUE(w.is_null());
    EXPECT_EQ(w.ansi_text(), nullptr);
    EXPECT_EQ(w.wide_text(), nullptr);
    EXPECT_EQ(w.ansi_length(), length);
    EXPECT_EQ(w.wide_length(), length);
    EXPECT_EQ(w.utf8(), "");
  }
}

// ---- TextOut

// A buffer with a sentinel after its capacity, to catch writes past the end.
template <class CharT>
struct Buffer {
  explicit Buffer(std::size_t capacity) : data(capacity + 4, CharT('#')), capacity(capacity) {}
  std::vector<CharT> data;
  std::size_t capacity;
  bool sentinel_intact() const {
    for (std::size_t i = capacity; i < data.size(); ++i) {
      if (data[i] != CharT('#')) return false;
    }
    return true;
  }
  std::basic_string<CharT> text() const { return data.data(); }
};

TextOut ansi_out(Buffer<char>& b) {
  return {false, b.data.data(), static_cast<SQLLEN>(b.capacity), Units::Characters};
}
TextOut wide_chars(Buffer<char16_t>& b) {
  return {true, b.data.data(), static_cast<SQLLEN>(b.capacity), Units::Characters};
}
TextOut wide_bytes(Buffer<char16_t>& b, SQLLEN bytes) {
  return {true, b.data.data(), bytes, Units::Bytes};
}

TEST(TextOut, AnsiFitsWithItsTerminator) {
  Buffer<char> b(16);
  SQLLEN length = -1;
  EXPECT_FALSE(ansi_out(b).write(std::string_view("hello"), &length));
  EXPECT_EQ(b.text(), "hello");
  EXPECT_EQ(length, 5);
  EXPECT_TRUE(b.sentinel_intact());
}

TEST(TextOut, AnsiExactFitNeedsRoomForTheTerminator) {
  Buffer<char> six(6);
  SQLLEN length = 0;
  EXPECT_FALSE(ansi_out(six).write(std::string_view("hello"), &length));
  EXPECT_EQ(six.text(), "hello");
  Buffer<char> five(5);
  EXPECT_TRUE(ansi_out(five).write(std::string_view("hello"), &length));
  EXPECT_EQ(five.text(), "hell");
  EXPECT_EQ(length, 5);
  EXPECT_TRUE(five.sentinel_intact());
}

TEST(TextOut, AnsiTruncationReportsTheFullLength) {
  Buffer<char> b(4);
  SQLLEN length = 0;
  EXPECT_TRUE(ansi_out(b).write(std::string_view("hello world"), &length));
  EXPECT_EQ(b.text(), "hel");
  EXPECT_EQ(length, 11);
  EXPECT_TRUE(b.sentinel_intact());
}

TEST(TextOut, AnsiTruncationNeverSplitsAUtf8Character) {
  Buffer<char> b(3);
  SQLLEN length = 0;
  EXPECT_TRUE(ansi_out(b).write(std::string_view("a\xE2\x82\xAC"), &length));
  EXPECT_EQ(b.text(), "a");
  EXPECT_EQ(length, 4);
  EXPECT_TRUE(b.sentinel_intact());
}

TEST(TextOut, AnsiFromWideConvertsAndCountsUtf8Bytes) {
  Buffer<char> b(32);
  SQLLEN length = 0;
  EXPECT_FALSE(ansi_out(b).write(WideView(u"\u65E5\u672C"), &length));
  EXPECT_EQ(b.text(), "\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_EQ(length, 6);
}

TEST(TextOut, WideInCharacters) {
  Buffer<char16_t> b(16);
  SQLLEN length = 0;
  EXPECT_FALSE(wide_chars(b).write(std::string_view("h\xC3\xA9llo"), &length));
  EXPECT_EQ(b.text(), u"h\u00E9llo");
  EXPECT_EQ(length, 5);
  EXPECT_TRUE(b.sentinel_intact());
}

TEST(TextOut, WideTruncatedInCharacters) {
  Buffer<char16_t> b(3);
  SQLLEN length = 0;
  EXPECT_TRUE(wide_chars(b).write(WideView(u"hello"), &length));
  EXPECT_EQ(b.text(), u"he");
  EXPECT_EQ(length, 5);
  EXPECT_TRUE(b.sentinel_intact());
}

TEST(TextOut, WideInBytesCountsTwoBytesPerUnit) {
  Buffer<char16_t> b(16);
  SQLLEN length = 0;
  EXPECT_FALSE(wide_bytes(b, 32).write(std::string_view("hello"), &length));
  EXPECT_EQ(b.text(), u"hello");
  EXPECT_EQ(length, 10);
}

TEST(TextOut, WideTruncatedInBytes) {
  Buffer<char16_t> b(4);
  SQLLEN length = 0;
  EXPECT_TRUE(wide_bytes(b, 8).write(std::string_view("hello"), &length));  // 4 units
  EXPECT_EQ(b.text(), u"hel");
  EXPECT_EQ(length, 10);
  EXPECT_TRUE(b.sentinel_intact());
  // An odd byte count rounds down to whole units.
  Buffer<char16_t> odd(3);
  EXPECT_TRUE(wide_bytes(odd, 7).write(std::string_view("hello"), &length));  // 3 units
  EXPECT_EQ(odd.text(), u"he");
  EXPECT_TRUE(odd.sentinel_intact());
}

TEST(TextOut, WideTruncationNeverSplitsASurrogatePair) {
  const std::u16string text = {u'a', 0xD83D, 0xDE00};
  Buffer<char16_t> b(3);
  SQLLEN length = 0;
  EXPECT_TRUE(wide_chars(b).write(WideView(text), &length));
  EXPECT_EQ(b.text(), u"a");
  EXPECT_EQ(length, 3);
  Buffer<char16_t> by_bytes(3);
  EXPECT_TRUE(wide_bytes(by_bytes, 6).write(std::string_view("a\xF0\x9F\x98\x80"), &length));
  EXPECT_EQ(by_bytes.text(), u"a");
  EXPECT_EQ(length, 6);
}

TEST(TextOut, ZeroCapacityWritesNothingButReportsTheLength) {
  Buffer<char> a(0);
  SQLLEN length = 0;
  EXPECT_TRUE(ansi_out(a).write(std::string_view("abc"), &length));
  EXPECT_EQ(length, 3);
  EXPECT_TRUE(a.sentinel_intact());
  Buffer<char16_t> w(0);
  EXPECT_TRUE(wide_bytes(w, 0).write(std::string_view("abc"), &length));
  EXPECT_EQ(length, 6);
  EXPECT_TRUE(w.sentinel_intact());
  // One byte cannot hold a wide terminator either.
  EXPECT_TRUE(wide_bytes(w, 1).write(std::string_view("abc"), &length));
  EXPECT_TRUE(w.sentinel_intact());
  // Empty text into no room is not a truncation.
  EXPECT_FALSE(ansi_out(a).write(std::string_view(""), &length));
  EXPECT_EQ(length, 0);
}

TEST(TextOut, NegativeCapacityIsNoRoom) {
  Buffer<char> a(0);
  SQLLEN length = 0;
  TextOut out{false, a.data.data(), -5, Units::Characters};
  EXPECT_TRUE(out.write(std::string_view("abc"), &length));
  EXPECT_EQ(length, 3);
  EXPECT_TRUE(a.sentinel_intact());
}

TEST(TextOut, NullBufferOnlyReportsTheLength) {
  SQLLEN length = 0;
  EXPECT_TRUE(
      (TextOut{false, nullptr, 100, Units::Characters}.write(std::string_view("abcd"), &length)));
  EXPECT_EQ(length, 4);
  EXPECT_TRUE((TextOut{true, nullptr, 100, Units::Bytes}.write(std::string_view("abcd"), &length)));
  EXPECT_EQ(length, 8);
  EXPECT_FALSE((TextOut{true, nullptr, 100, Units::Bytes}.write(std::string_view(""), &length)));
  EXPECT_EQ(length, 0);
}

TEST(TextOut, NullLengthPointerIsAllowed) {
  Buffer<char> b(3);
  EXPECT_TRUE(ansi_out(b).write(std::string_view("abcdef"), nullptr));
  EXPECT_EQ(b.text(), "ab");
  Buffer<char16_t> w(8);
  EXPECT_FALSE(wide_chars(w).write(WideView(u"ab"), nullptr));
  EXPECT_EQ(w.text(), u"ab");
}

TEST(TextOut, EmptyTextWritesTheTerminator) {
  Buffer<char> b(1);
  SQLLEN length = -1;
  EXPECT_FALSE(ansi_out(b).write(std::string_view(""), &length));
  EXPECT_EQ(b.data[0], '\0');
  EXPECT_EQ(length, 0);
  EXPECT_TRUE(b.sentinel_intact());
}

// ---- read_whole_text

// A target function answering `value`: it writes what fits (NUL-terminated)
// and reports the full length, in `units`, like the ODBC functions do.
template <class CharT>
struct FakeTarget {
  FakeTarget(std::basic_string<CharT> value, Units units) : value(std::move(value)), units(units) {}

  std::basic_string<CharT> value;
  Units units;
  int calls = 0;
  std::vector<SQLLEN> capacities;
  SQLRETURN rc_on_success = SQL_SUCCESS;

  SQLRETURN operator()(CharT* buffer, SQLLEN capacity, SQLLEN* length) {
    ++calls;
    capacities.push_back(capacity);
    const std::size_t room = static_cast<std::size_t>(
        units == Units::Bytes ? capacity / static_cast<SQLLEN>(sizeof(CharT)) : capacity);
    const std::size_t n = std::min(value.size(), room - 1);
    std::copy(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(n), buffer);
    buffer[n] = CharT{};
    *length =
        static_cast<SQLLEN>(units == Units::Bytes ? value.size() * sizeof(CharT) : value.size());
    return n < value.size() ? SQL_SUCCESS_WITH_INFO : rc_on_success;
  }
};

TEST(ReadWholeText, AShortValueTakesOneCall) {
  FakeTarget<char> target{"PostgreSQL", Units::Characters};
  std::string out;
  EXPECT_EQ(read_whole_text<char>(std::ref(target), out, Units::Characters), SQL_SUCCESS);
  EXPECT_EQ(out, "PostgreSQL");
  EXPECT_EQ(target.calls, 1);
}

TEST(ReadWholeText, ALongerValueGrowsTheBuffer) {
  std::string value(2000, 'x');
  for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i % 26);
  FakeTarget<char> target{value, Units::Characters};
  std::string out;
  EXPECT_EQ(read_whole_text<char>(std::ref(target), out, Units::Characters), SQL_SUCCESS);
  EXPECT_EQ(out, value);
  EXPECT_EQ(target.calls, 2);
  ASSERT_EQ(target.capacities.size(), 2u);
  EXPECT_GE(target.capacities[1], 2001);
}

TEST(ReadWholeText, ExactlyTheInitialCapacityStillGrows) {
  FakeTarget<char> target{std::string(512, 'q'), Units::Characters};
  std::string out;
  read_whole_text<char>(std::ref(target), out, Units::Characters);
  EXPECT_EQ(out, std::string(512, 'q'));
  EXPECT_EQ(target.calls, 2);
}

TEST(ReadWholeText, WideValueMeasuredInBytes) {
  std::u16string value(1500, u'\u65E5');
  FakeTarget<char16_t> target{value, Units::Bytes};
  std::u16string out;
  EXPECT_EQ(read_whole_text<char16_t>(std::ref(target), out, Units::Bytes), SQL_SUCCESS);
  EXPECT_EQ(out, value);
  EXPECT_EQ(target.calls, 2);
  EXPECT_EQ(target.capacities[0], 1024);  // 512 units, in bytes
  EXPECT_GE(target.capacities[1], 3002);
}

TEST(ReadWholeText, WideValueMeasuredInCharacters) {
  std::u16string value(700, u'w');
  FakeTarget<char16_t> target{value, Units::Characters};
  std::u16string out;
  EXPECT_EQ(read_whole_text<char16_t>(std::ref(target), out, Units::Characters), SQL_SUCCESS);
  EXPECT_EQ(out, value);
  EXPECT_EQ(target.capacities[0], 512);
}

TEST(ReadWholeText, AFailureClearsTheOutputAndPassesTheReturnCodeOn) {
  std::string out = "stale";
  int calls = 0;
  auto failing = [&](char*, SQLLEN, SQLLEN*) {
    ++calls;
    return SQLRETURN{SQL_ERROR};
  };
  EXPECT_EQ(read_whole_text<char>(failing, out, Units::Characters), SQL_ERROR);
  EXPECT_EQ(out, "");
  EXPECT_EQ(calls, 1);
  auto no_data = [](char*, SQLLEN, SQLLEN*) { return SQLRETURN{SQL_NO_DATA}; };
  EXPECT_EQ(read_whole_text<char>(no_data, out, Units::Characters), SQL_NO_DATA);
}

TEST(ReadWholeText, NoTotalTakesWhatWasWritten) {
  auto no_total = [](char* buffer, SQLLEN, SQLLEN* length) {
    std::strcpy(buffer, "partial");
    *length = SQL_NO_TOTAL;
    return SQLRETURN{SQL_SUCCESS_WITH_INFO};
  };
  std::string out;
  EXPECT_EQ(read_whole_text<char>(no_total, out, Units::Characters), SQL_SUCCESS_WITH_INFO);
  EXPECT_EQ(out, "partial");
}

TEST(ReadWholeText, ALyingTargetDoesNotLoopForever) {
  int calls = 0;
  auto liar = [&](char* buffer, SQLLEN capacity, SQLLEN* length) {
    ++calls;
    std::memset(buffer, 'z', static_cast<std::size_t>(capacity - 1));
    buffer[capacity - 1] = '\0';
    *length = capacity * 2;  // always more than asked for
    return SQLRETURN{SQL_SUCCESS_WITH_INFO};
  };
  std::string out;
  EXPECT_EQ(read_whole_text<char>(liar, out, Units::Characters), SQL_SUCCESS_WITH_INFO);
  EXPECT_LE(calls, 4);
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.find_first_not_of('z'), std::string::npos);
}

}  // namespace
}  // namespace odbcpool
