// The ODBC connection-string grammar: parse, to_string and the editing
// functions, with generated round trips over a hostile alphabet and every
// short string over the grammar's own characters.
#include "connection_string.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../fuzz/fuzz_checks.h"

namespace odbcpool {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs_of(const ConnectionString& cs) {
  Pairs out;
  for (const auto& e : cs.entries()) out.emplace_back(e.key, e.value);
  return out;
}

Pairs parsed(std::string_view text) {
  return pairs_of(ConnectionString::parse(text));
}

// The message of the ConnectionStringError that parsing `text` throws, or
// "no error".
std::string parse_error(std::string_view text) {
  try {
    ConnectionString::parse(text);
  } catch (const ConnectionStringError& e) {
    return e.what();
  }
  return "no error";
}

// ---- parse

TEST(ConnectionStringParse, EmptyAndBlankInputsGiveNoEntries) {
  for (const char* text : {"", ";", ";;;", "   ", " ; ;\t;\r\n"}) {
    EXPECT_TRUE(ConnectionString::parse(text).empty()) << "'" << text << "'";
  }
}

TEST(ConnectionStringParse, ReadsKeyValuePairsInOrder) {
  EXPECT_EQ(parsed("DSN=orders;UID=bob;PWD=secret"),
            (Pairs{{"DSN", "orders"}, {"UID", "bob"}, {"PWD", "secret"}}));
}

TEST(ConnectionStringParse, AcceptsTrailingSemicolonAndEmptyPairs) {
  EXPECT_EQ(parsed(";;A=1;;;B=2;;"), (Pairs{{"A", "1"}, {"B", "2"}}));
  EXPECT_EQ(parsed("A=1;"), (Pairs{{"A", "1"}}));
}

TEST(ConnectionStringParse, TrimsWhitespaceAroundKeysAndUnbracedValues) {
  EXPECT_EQ(parsed("  Server Name  =  db 1  ;\tB\t=\t2\t;\r\nC=\n3\n"),
            (Pairs{{"Server Name", "db 1"}, {"B", "2"}, {"C", "3"}}));
}

TEST(ConnectionStringParse, EmptyValues) {
  EXPECT_EQ(parsed("A=;B=  ;C={};D="), (Pairs{{"A", ""}, {"B", ""}, {"C", ""}, {"D", ""}}));
}

TEST(ConnectionStringParse, BracedValuesKeepSeparatorsAndSpaces) {
  EXPECT_EQ(parsed("PWD={a;b=c};UID=x"), (Pairs{{"PWD", "a;b=c"}, {"UID", "x"}}));
  EXPECT_EQ(parsed("A={  padded  }"), (Pairs{{"A", "  padded  "}}));
  EXPECT_EQ(parsed("A={{nested{}"), (Pairs{{"A", "{nested{"}}));
  EXPECT_EQ(parsed("DRIVER={PostgreSQL Unicode};Servername=db1"),
            (Pairs{{"DRIVER", "PostgreSQL Unicode"}, {"Servername", "db1"}}));
}

TEST(ConnectionStringParse, DoubledClosingBraceIsALiteralBrace) {
  EXPECT_EQ(parsed("PWD={a}}b}"), (Pairs{{"PWD", "a}b"}}));
  EXPECT_EQ(parsed("PWD={}}}"), (Pairs{{"PWD", "}"}}));
  EXPECT_EQ(parsed("PWD={}}}}}}};X=1"), (Pairs{{"PWD", "}}}"}, {"X", "1"}}));
  EXPECT_EQ(parsed("PWD={a;}}b=};c=d"), (Pairs{{"PWD", "a;}b="}, {"c", "d"}}));
}

TEST(ConnectionStringParse, WhitespaceAroundABracedValueIsIgnored) {
  EXPECT_EQ(parsed("A=  {x}  ;B=1"), (Pairs{{"A", "x"}, {"B", "1"}}));
  EXPECT_EQ(parsed("A={x}\t"), (Pairs{{"A", "x"}}));
}

TEST(ConnectionStringParse, UnbracedValuesMayContainBracesAndEquals) {
  EXPECT_EQ(parsed("A=x{y};B=p}q;C=a=b"), (Pairs{{"A", "x{y}"}, {"B", "p}q"}, {"C", "a=b"}}));
}

TEST(ConnectionStringParse, KeepsUtf8AndOtherBytes) {
  EXPECT_EQ(parsed("Datenbank=Bücher;\xE6\x97\xA5=\xF0\x9F\x98\x80"),
            (Pairs{{"Datenbank", "Bücher"}, {"\xE6\x97\xA5", "\xF0\x9F\x98\x80"}}));
  const std::string with_nul("A=x\0y;B=1", 9);
  EXPECT_EQ(parsed(with_nul), (Pairs{{"A", std::string("x\0y", 3)}, {"B", "1"}}));
}

TEST(ConnectionStringParse, FirstOccurrenceOfADuplicateKeyWins) {
  EXPECT_EQ(parsed("UID=a;uid=b;Uid=c;PWD=p;UID=d"), (Pairs{{"UID", "a"}, {"PWD", "p"}}));
  EXPECT_EQ(parsed("A={x;y};a=z"), (Pairs{{"A", "x;y"}}));
}

// ---- malformed input

struct Malformed {
  const char* text;
  std::size_t offset;
  const char* says;
};

TEST(ConnectionStringParse, MalformedInputThrowsNamingTheOffset) {
  const Malformed cases[] = {
      {"DSN", 0, "has no '=value'"},
      {"A=1;DSN", 4, "'DSN' has no '=value'"},
      {"A=1;  DSN  ;B=2", 6, "'DSN' has no '=value'"},
      {"=x", 0, "a value without a key"},
      {"A=1; =x", 5, "a value without a key"},
      {"A={abc", 2, "no closing '}'"},
      {"A=1;B=  {abc;C=2", 8, "the value of 'B' has no closing '}'"},
      {"A={abc}}", 2, "no closing '}'"},
      {"A={abc}x", 7, "unexpected text after the closing '}' of 'A'"},
      {"A={abc}  x;B=1", 9, "unexpected text after the closing '}'"},
      {"A={a}{b}", 5, "unexpected text"},
      {"{A}=1", 0, "a key cannot contain braces"},
      {"A}=1", 1, "a key cannot contain braces"},
      {"X=1;K{ey=1", 5, "a key cannot contain braces"},
  };
  for (const auto& c : cases) {
    const std::string message = parse_error(c.text);
    EXPECT_NE(message.find("at offset " + std::to_string(c.offset) + ":"), std::string::npos)
        << c.text << " -> " << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.text << " -> " << message;
  }
}

TEST(ConnectionStringParse, ErrorsAreConnectionStringErrors) {
  EXPECT_THROW(ConnectionString::parse("novalue"), ConnectionStringError);
  EXPECT_THROW(ConnectionString::parse("A={"), ConnectionStringError);
  // And runtime_errors, for callers that do not know the type.
  EXPECT_THROW(ConnectionString::parse("A={x}y"), std::runtime_error);
}

// ---- to_string

TEST(ConnectionStringToString, WritesPairsWithATrailingSemicolon) {
  EXPECT_EQ(ConnectionString().to_string(), "");
  EXPECT_EQ(ConnectionString::parse("A=1;B=;C=x y").to_string(), "A=1;B=;C=x y;");
}

TEST(ConnectionStringToString, BracesValuesThatNeedThem) {
  ConnectionString cs;
  cs.set("PWD", "a;b");
  cs.set("X", "}");
  cs.set("Y", " lead");
  cs.set("Z", "trail\t");
  cs.set("E", "a=b");
  cs.set("O", "{x");
  EXPECT_EQ(cs.to_string(), "PWD={a;b};X={}}};Y={ lead};Z={trail\t};E={a=b};O={{x};");
}

TEST(ConnectionStringToString, NeedsBraces) {
  EXPECT_FALSE(needs_braces(""));
  EXPECT_FALSE(needs_braces("plain value"));
  EXPECT_FALSE(needs_braces("Bücher"));
  for (const char* v : {";", "a;", "=", "{", "}", "a}b", " x", "x ", "\tx", "x\n", "\r"}) {
    EXPECT_TRUE(needs_braces(v)) << "'" << v << "'";
  }
}

// ---- editing

TEST(ConnectionStringEdit, FindIsCaseInsensitive) {
  const auto cs = ConnectionString::parse("Uid=bob;PWD=x");
  ASSERT_NE(cs.find("UID"), nullptr);
  EXPECT_EQ(*cs.find("uid"), "bob");
  EXPECT_EQ(*cs.find("pwd"), "x");
  EXPECT_EQ(cs.find("DSN"), nullptr);
  EXPECT_EQ(cs.find(""), nullptr);
  EXPECT_TRUE(cs.contains("uId"));
  EXPECT_FALSE(cs.contains("Ui"));
  EXPECT_FALSE(cs.contains("UIDX"));
}

TEST(ConnectionStringEdit, SetReplacesInPlaceKeepingTheKeysSpelling) {
  auto cs = ConnectionString::parse("A=1;Uid=bob;C=3");
  cs.set("UID", "alice");
  EXPECT_EQ(pairs_of(cs), (Pairs{{"A", "1"}, {"Uid", "alice"}, {"C", "3"}}));
}

TEST(ConnectionStringEdit, SetAppendsANewKey) {
  auto cs = ConnectionString::parse("A=1");
  cs.set("B", "x;y");
  EXPECT_EQ(pairs_of(cs), (Pairs{{"A", "1"}, {"B", "x;y"}}));
  EXPECT_EQ(cs.to_string(), "A=1;B={x;y};");
}

TEST(ConnectionStringEdit, SetDefaultNeverReplaces) {
  auto cs = ConnectionString::parse("A=1");
  cs.set_default("a", "2");
  cs.set_default("B", "3");
  cs.set_default("b", "4");
  EXPECT_EQ(pairs_of(cs), (Pairs{{"A", "1"}, {"B", "3"}}));
}

TEST(ConnectionStringEdit, EraseRemovesCaseInsensitivelyAndSaysWhetherItDid) {
  auto cs = ConnectionString::parse("A=1;PWD=secret;C=3");
  EXPECT_TRUE(cs.erase("pwd"));
  EXPECT_FALSE(cs.erase("pwd"));
  EXPECT_FALSE(cs.erase("missing"));
  EXPECT_EQ(pairs_of(cs), (Pairs{{"A", "1"}, {"C", "3"}}));
  EXPECT_TRUE(cs.erase("A"));
  EXPECT_TRUE(cs.erase("c"));
  EXPECT_TRUE(cs.empty());
  EXPECT_EQ(cs.to_string(), "");
}

TEST(ConnectionStringEdit, IequalsAndToLowerFoldAsciiOnly) {
  EXPECT_TRUE(iequals("TargetDSN", "targetdsn"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("abc", "abcd"));
  EXPECT_FALSE(iequals("ÄB", "äb"));  // UTF-8 bytes are compared as they are
  EXPECT_EQ(to_lower("PoolMaxSize"), "poolmaxsize");
  EXPECT_EQ(to_lower("ÄÖ-X_1"), "ÄÖ-x_1");
}

// ---- round trips

// splitmix64: the same sequence with every compiler and standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t state_;
};

std::string random_text(Random& r, const std::string* alphabet, std::size_t alphabet_size,
                        std::size_t max_pieces) {
  std::string out;
  const std::size_t pieces = r.below(max_pieces + 1);
  for (std::size_t i = 0; i < pieces; ++i) out += alphabet[r.below(alphabet_size)];
  return out;
}

TEST(ConnectionStringRoundTrip, GeneratedEntriesSurviveToStringAndParse) {
  // Everything the grammar treats specially, whitespace of every kind the
  // parser trims, multi-byte UTF-8 and a NUL.
  const std::string value_alphabet[] = {
      ";",  "=",  "{", "}",    "}}", "{}", " ", "\t",           "\r",
      "\n", "a",  "Z", "0",    "é",  "日", "😀", "\xEF\xBF\xBD", std::string(1, '\0'),
      "\\", "\"", "'", "DSN=x"};
  // Keys cannot hold ; = { } and lose surrounding whitespace.
  const std::string key_alphabet[] = {"a", "K", "_", "-", ".", "9", " ", "é", "日", "😀", "\"", "'"};
  const std::size_t values = sizeof value_alphabet / sizeof value_alphabet[0];
  const std::size_t keys = sizeof key_alphabet / sizeof key_alphabet[0];

  Random r(20240601);
  for (int round = 0; round < 3000; ++round) {
    ConnectionString cs;
    Pairs expected;
    const std::size_t count = r.below(6);
    for (std::size_t i = 0; i < count; ++i) {
      std::string key = "k" + random_text(r, key_alphabet, keys, 4) + "x" + std::to_string(i);
      std::string value = random_text(r, value_alphabet, values, 8);
      cs.set(key, value);
      expected.emplace_back(key, value);
    }
    ASSERT_EQ(pairs_of(cs), expected);
    const std::string text = cs.to_string();
    ConnectionString back;
    ASSERT_NO_THROW(back = ConnectionString::parse(text))
        << "round " << round << ": " << ::testing::PrintToString(text);
    ASSERT_EQ(pairs_of(back), expected)
        << "round " << round << ": " << ::testing::PrintToString(text);
    ASSERT_EQ(back.to_string(), text);
  }
}

TEST(ConnectionStringRoundTrip, ValuesMadeOnlyOfGrammarCharacters) {
  const char alphabet[] = {';', '=', '{', '}', ' '};
  // Every value of up to 6 such characters.
  std::vector<std::string> current = {""};
  for (int length = 0; length <= 6; ++length) {
    std::vector<std::string> next;
    for (const std::string& v : current) {
      ConnectionString cs;
      cs.set("K", v);
      ASSERT_EQ(pairs_of(ConnectionString::parse(cs.to_string())), (Pairs{{"K", v}}))
          << ::testing::PrintToString(cs.to_string());
      for (char c : alphabet) next.push_back(v + c);
    }
    current.swap(next);
  }
}

// Every string of up to 6 characters over the grammar's alphabet either
// parses into entries that round-trip or is refused with an offset; none
// crashes (the fuzzer's property, exhaustively for short inputs).
TEST(ConnectionStringRoundTrip, EveryShortStringParsesOrIsRefused) {
  const char alphabet[] = {'a', 'B', '=', ';', '{', '}', ' '};
  std::vector<std::string> current = {""};
  std::size_t accepted = 0;
  std::size_t refused = 0;
  for (int length = 0; length <= 6; ++length) {
    std::vector<std::string> next;
    for (const std::string& s : current) {
      const std::string failure = fuzz::check_connection_string(s);
      ASSERT_EQ(failure, "") << ::testing::PrintToString(s);
      try {
        ConnectionString::parse(s);
        ++accepted;
      } catch (const ConnectionStringError&) {
        ++refused;
      }
      if (length < 6) {
        for (char c : alphabet) next.push_back(s + c);
      }
    }
    current.swap(next);
  }
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(refused, 1000u);
}

}  // namespace
}  // namespace odbcpool
