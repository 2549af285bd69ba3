// The process-wide registry and the background maintainer thread.
#include <algorithm>

#include "pool_maintainer.h"
#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

TEST(RegistryTest, OnePoolPerKeyMadeOnce) {
  auto factory = std::make_shared<FakeFactory>();
  int made = 0;
  auto make = [&] {
    ++made;
    return std::make_shared<Pool>("registry", test_settings(), factory);
  };
  PoolRegistry& registry = PoolRegistry::instance();
  auto a = registry.get_or_create("registry test a", make);
  auto again = registry.get_or_create("registry test a", make);
  auto b = registry.get_or_create("registry test b", make);
  EXPECT_EQ(made, 2);
  EXPECT_EQ(a, again);
  EXPECT_NE(a, b);
  EXPECT_EQ(registry.find("registry test a"), a);
  EXPECT_EQ(registry.find("registry test none"), nullptr);

  const auto all = registry.all();
  auto at_a = std::find(all.begin(), all.end(), a);
  auto at_b = std::find(all.begin(), all.end(), b);
  ASSERT_NE(at_a, all.end());
  ASSERT_NE(at_b, all.end());
  EXPECT_LT(at_a, at_b);
}

TEST(RegistryTest, ConcurrentFirstUseYieldsOnePool) {
  auto factory = std::make_shared<FakeFactory>();
  std::vector<std::shared_ptr<Pool>> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      seen[i] = PoolRegistry::instance().get_or_create("registry race", [&] {
        return std::make_shared<Pool>("race", test_settings(), factory);
      });
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& p : seen) EXPECT_EQ(p, seen[0]);
  EXPECT_EQ(PoolRegistry::instance().find("registry race"), seen[0]);
}

TEST(RegistryTest, AFactoryFunctionReturningNothingIsAnError) {
  EXPECT_THROW(PoolRegistry::instance().get_or_create("registry null", [] { return nullptr; }),
               std::logic_error);
  EXPECT_EQ(PoolRegistry::instance().find("registry null"), nullptr);
}

TEST(MaintainerTest, KeepsRegisteredPoolsMaintainedAndStopsCleanly) {
  auto factory = std::make_shared<FakeFactory>();
  Settings settings = test_settings();
  settings.min_idle = 2;
  auto make = [&] { return std::make_shared<Pool>("maintained", settings, factory); };
  auto pool = PoolRegistry::instance().get_or_create("maintainer test", make);
  EXPECT_TRUE(Maintainer::instance().running());
  EXPECT_TRUE(eventually([&] { return pool->stats().idle == 2; }));

  // A close below min_idle wakes it up for a refill.
  pool->give_back(pool->borrow(), ReturnState::Broken);
  EXPECT_TRUE(eventually([&] { return pool->stats().idle == 2; }));
  EXPECT_EQ(factory->opened(), 3);

  Maintainer::instance().stop();
  EXPECT_FALSE(Maintainer::instance().running());
  Maintainer::instance().stop();  // twice is harmless

  // The next lookup starts it again.
  PoolRegistry::instance().get_or_create("maintainer test", make);
  EXPECT_TRUE(Maintainer::instance().running());
  EXPECT_TRUE(eventually([] { return Maintainer::instance().rounds() >= 2; }));
}

}  // namespace
}  // namespace odbcpool::pool::testing
