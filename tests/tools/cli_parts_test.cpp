// The small pieces of the odbcpool command: masking, JSON, tables, the %p
// patterns of metrics files, typo suggestions and argument parsing.
#include <gtest/gtest.h>

#include "cli_arguments.h"
#include "config_review.h"
#include "json_value.h"
#include "metrics_discovery.h"
#include "secret_masking.h"
#include "text_table.h"

namespace odbcpool::cli {
namespace {

TEST(SecretMasking, KnowsPasswordKeysWhateverTheirCase) {
  for (const char* key : {"PWD", "pwd", "Password", "PASSWORD", "SSLPassword", "ClientPwdFile"}) {
    EXPECT_TRUE(is_secret_key(key)) << key;
  }
  for (const char* key : {"UID", "Username", "Database", "Pass", "Servername"}) {
    EXPECT_FALSE(is_secret_key(key)) << key;
  }
}

TEST(SecretMasking, MasksEveryPasswordOfAConnectionString) {
  const ConnectionString cs =
      ConnectionString::parse("DSN=x;UID=bob;PWD={a;b}}c};sslpassword=s2;Database=db");
  const std::string text = masked_text(cs);
  EXPECT_EQ(text.find("a;b"), std::string::npos) << text;
  EXPECT_EQ(text.find("s2"), std::string::npos) << text;
  EXPECT_NE(text.find("PWD=***"), std::string::npos) << text;
  EXPECT_NE(text.find("sslpassword=***"), std::string::npos) << text;
  EXPECT_NE(text.find("UID=bob"), std::string::npos) << text;
}

TEST(SecretMasking, ScrubsSecretsFromMessages) {
  EXPECT_EQ(scrub("login pw1 failed: pw1pw1", {"pw1"}), "login *** failed: ******");
  EXPECT_EQ(scrub("nothing here", {"", "x1"}), "nothing here");
  // A secret that contains the mask must not loop forever.
  EXPECT_EQ(scrub("a**b", {"**"}), "a***b");
}

TEST(JsonValue, EscapesTextAndDropsNonFiniteNumbers) {
  JsonValue v = JsonValue::object();
  v.set("text", "quote \" back \\ nl \n tab \t bell \x07 é")
      .set("nan", std::numeric_limits<double>::quiet_NaN())
      .set("n", std::uint64_t{18446744073709551615u})
      .set("list", JsonValue::array().push(true).push(JsonValue()))
      .set("empty", JsonValue::object());
  EXPECT_EQ(v.dump(),
            "{\n"
            "  \"text\": \"quote \\\" back \\\\ nl \\n tab \\t bell \\u0007 é\",\n"
            "  \"nan\": null,\n"
            "  \"n\": 18446744073709551615,\n"
            "  \"list\": [\n    true,\n    null\n  ],\n"
            "  \"empty\": {}\n"
            "}");
}

TEST(TextTable, AlignsByCodePoints) {
  TextTable t;
  t.add_column("pool");
  t.add_column("n", TextTable::Align::Right);
  t.add_row({"crème", "5"});
  t.add_row({"ab", "100"});
  EXPECT_EQ(t.render(TextTable::Style::Grid),
            " pool  |   n\n"
            "-------+-----\n"
            " crème |   5\n"
            " ab    | 100\n");
  EXPECT_EQ(t.render(TextTable::Style::Plain, 2),
            "  pool   n\n"
            "  crème    5\n"
            "  ab     100\n");
}

TEST(MetricsPatterns, FindThePidWhereThePatternHasPercentP) {
  const std::vector<MetricsPattern> patterns = {{"/run/a/m-%p.prom", "x"}, {"/run/b/%p/m-%p", "y"}};
  EXPECT_EQ(pid_in_path("/run/a/m-1234.prom", patterns), 1234);
  EXPECT_EQ(pid_in_path("/run/b/77/m-77", patterns), 77);
  EXPECT_EQ(pid_in_path("/run/b/77/m-78", patterns), std::nullopt);
  EXPECT_EQ(pid_in_path("/run/a/m-.prom", patterns), std::nullopt);
  EXPECT_EQ(pid_in_path("/run/a/m-12x.prom", patterns), std::nullopt);
  // The temporary file a writer renames into place is not a metrics file.
  EXPECT_EQ(pid_in_path("/run/b/77/m-77.tmp.77", patterns), std::nullopt);
  EXPECT_EQ(pid_in_path("/elsewhere/m-1.prom", patterns), std::nullopt);
}

TEST(ConfigReview, SuggestsTheKeyATypoMeant) {
  EXPECT_EQ(closest_key("PoolMaxSise"), "PoolMaxSize");
  EXPECT_EQ(closest_key("poolidletimout"), "PoolIdleTimeout");
  EXPECT_EQ(closest_key("PoolFrobnicate"), "");
}

TEST(Arguments, ParsesOptionsAndPositionals) {
  const Arguments a = Arguments::parse({"dsn", "--user", "bob", "--count=3", "--", "--not"},
                                       {{"user", true}, {"count", true}, {"json", false}}, "t");
  EXPECT_EQ(a.positional(), (std::vector<std::string>{"dsn", "--not"}));
  ASSERT_NE(a.value("user"), nullptr);
  EXPECT_EQ(*a.value("user"), "bob");
  EXPECT_EQ(parse_count_option(a, "count", 1, 1, 10), 3);
  EXPECT_FALSE(a.has("json"));
  EXPECT_THROW(Arguments::parse({"--nope"}, {{"user", true}}, "t"), UsageError);
  EXPECT_THROW(Arguments::parse({"--user"}, {{"user", true}}, "t"), UsageError);
  EXPECT_THROW(Arguments::parse({"--json=1"}, {{"json", false}}, "t"), UsageError);
  const Arguments big = Arguments::parse({"--count", "11"}, {{"count", true}}, "t");
  EXPECT_THROW(parse_count_option(big, "count", 1, 1, 10), UsageError);
}

}  // namespace
}  // namespace odbcpool::cli
