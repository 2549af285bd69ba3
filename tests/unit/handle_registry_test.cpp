// The registry of live handles: a handle is found only while it lives and
// only as its own kind; anything else an application passes is refused.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "core_test_support.h"
#include "handles.h"

namespace odbcpool {
namespace {

using testing::connect_fake;

TEST(HandleRegistry, FindsALiveEnvironmentAsAnEnvironmentOnly) {
  auto env = std::make_unique<Environment>();
  EXPECT_EQ(find_handle<Environment>(env.get()), env.get());
  EXPECT_EQ(find_handle<Connection>(env.get()), nullptr);
  EXPECT_EQ(find_handle<Statement>(env.get()), nullptr);
  EXPECT_EQ(find_handle<Descriptor>(env.get()), nullptr);
  EXPECT_EQ(env->kind(), HandleKind::Environment);
}

TEST(HandleRegistry, FindsALiveConnectionAsAConnectionOnly) {
  Environment env;
  auto dbc = std::make_unique<Connection>(env);
  EXPECT_EQ(find_handle<Connection>(dbc.get()), dbc.get());
  EXPECT_EQ(find_handle<Environment>(dbc.get()), nullptr);
  EXPECT_EQ(find_handle<Statement>(dbc.get()), nullptr);
  EXPECT_EQ(&dbc->env(), &env);
  EXPECT_FALSE(dbc->connected());
}

TEST(HandleRegistry, FreedHandlesAreNotFound) {
  auto* env = new Environment();
  auto* dbc = new Connection(*env);
  const void* env_address = env;
  const void* dbc_address = dbc;
  delete dbc;
  EXPECT_EQ(find_handle<Connection>(dbc_address), nullptr);
  EXPECT_EQ(find_handle<Environment>(env_address), env);
  delete env;
  EXPECT_EQ(find_handle<Environment>(env_address), nullptr);
}

TEST(HandleRegistry, ForeignPointersAreNotFound) {
  Environment env;
  int on_stack = 0;
  auto on_heap = std::make_unique<std::uint64_t[]>(16);
  EXPECT_EQ(find_handle<Environment>(nullptr), nullptr);
  EXPECT_EQ(find_handle<Connection>(nullptr), nullptr);
  EXPECT_EQ(find_handle<Environment>(&on_stack), nullptr);
  EXPECT_EQ(find_handle<Environment>(on_heap.get()), nullptr);
  EXPECT_EQ(find_handle<Environment>(reinterpret_cast<const void*>(std::uintptr_t{0x1234})),
            nullptr);
  EXPECT_EQ(find_handle<Environment>(reinterpret_cast<const void*>(~std::uintptr_t{0})), nullptr);
  // An address inside a live handle is not the handle.
  EXPECT_EQ(find_handle<Environment>(reinterpret_cast<const char*>(&env) + 1), nullptr);
  EXPECT_EQ(find_handle<Environment>(reinterpret_cast<const char*>(&env) + 8), nullptr);
}

TEST(HandleRegistry, ManyHandlesAreEachFoundAsThemselves) {
  std::vector<std::unique_ptr<Environment>> envs;
  for (int i = 0; i < 200; ++i) envs.push_back(std::make_unique<Environment>());
  std::vector<std::unique_ptr<Connection>> dbcs;
  for (auto& e : envs) dbcs.push_back(std::make_unique<Connection>(*e));
  for (std::size_t i = 0; i < envs.size(); ++i) {
    ASSERT_EQ(find_handle<Environment>(envs[i].get()), envs[i].get());
    ASSERT_EQ(find_handle<Connection>(dbcs[i].get()), dbcs[i].get());
    ASSERT_EQ(find_handle<Connection>(envs[i].get()), nullptr);
  }
  // Free every other one.
  std::vector<const void*> freed;
  for (std::size_t i = 0; i < dbcs.size(); i += 2) {
    freed.push_back(dbcs[i].get());
    dbcs[i].reset();
  }
  for (const void* p : freed) EXPECT_EQ(find_handle<Connection>(p), nullptr);
  for (std::size_t i = 1; i < dbcs.size(); i += 2) {
    EXPECT_EQ(find_handle<Connection>(dbcs[i].get()), dbcs[i].get());
  }
}

TEST(HandleRegistry, ConcurrentAllocationAndLookup) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto env = std::make_unique<Environment>();
        Connection dbc(*env);
        if (find_handle<Environment>(env.get()) != env.get()) ++failures;
        if (find_handle<Connection>(&dbc) != &dbc) ++failures;
        if (find_handle<Environment>(&dbc) != nullptr) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(HandleRegistry, EnvironmentKeepsItsConnections) {
  Environment env;
  Connection a(env);
  Connection b(env);
  env.attach(&a);
  env.attach(&b);
  env.attach(&a);
  EXPECT_EQ(env.connections().size(), 2u);
  env.detach(&a);
  ASSERT_EQ(env.connections().size(), 1u);
  EXPECT_EQ(env.connections().front(), &b);
}

TEST(HandleRegistry, NotConnectedConnectionRefusesSessionWith08003) {
  Environment env;
  Connection dbc(env);
  try {
    dbc.session();
    ADD_FAILURE() << "no exception";
  } catch (const OdbcError& e) {
    EXPECT_EQ(e.sqlstate(), "08003");
  }
  EXPECT_FALSE(static_cast<bool>(dbc.target_handle()));
}

TEST(HandleRegistry, PendingAttributesReplaceByAttribute) {
  Environment env;
  Connection dbc(env);
  dbc.remember_pending({SQL_ATTR_AUTOCOMMIT, false, SQL_AUTOCOMMIT_OFF, {}});
  dbc.remember_pending({SQL_ATTR_CURRENT_CATALOG, true, 0, "orders"});
  dbc.remember_pending({SQL_ATTR_AUTOCOMMIT, false, SQL_AUTOCOMMIT_ON, {}});
  ASSERT_EQ(dbc.pending().size(), 2u);
  ASSERT_NE(dbc.find_pending(SQL_ATTR_AUTOCOMMIT), nullptr);
  EXPECT_EQ(dbc.find_pending(SQL_ATTR_AUTOCOMMIT)->integer, SQLULEN{SQL_AUTOCOMMIT_ON});
  EXPECT_EQ(dbc.find_pending(SQL_ATTR_CURRENT_CATALOG)->text, "orders");
  EXPECT_EQ(dbc.find_pending(SQL_ATTR_LOGIN_TIMEOUT), nullptr);
}

// ---- statements and descriptors (need a session for their function table)

TEST(HandleRegistry, StatementsAndDescriptorsAreFoundByTheirKind) {
  Environment env;
  Connection dbc(env);
  if (connect_fake(dbc) == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  int target_stmt = 0;
  int target_desc = 0;
  auto* stmt = new Statement(dbc, &target_stmt);
  auto* desc = new Descriptor(dbc, &target_desc, false);
  EXPECT_EQ(find_handle<Statement>(stmt), stmt);
  EXPECT_EQ(find_handle<Descriptor>(stmt), nullptr);
  EXPECT_EQ(find_handle<Connection>(stmt), nullptr);
  EXPECT_EQ(find_handle<Descriptor>(desc), desc);
  EXPECT_EQ(find_handle<Statement>(desc), nullptr);
  // The target's handles are not ours.
  EXPECT_EQ(find_handle<Statement>(&target_stmt), nullptr);
  EXPECT_EQ(find_handle<Descriptor>(&target_desc), nullptr);
  EXPECT_EQ(stmt->owner_connection(), &dbc);
  EXPECT_EQ(desc->owner_connection(), &dbc);
  EXPECT_EQ(stmt->target_handle().type, SQL_HANDLE_STMT);
  EXPECT_EQ(desc->target_handle().type, SQL_HANDLE_DESC);
  const void* stmt_address = stmt;
  const void* desc_address = desc;
  delete stmt;
  delete desc;
  EXPECT_EQ(find_handle<Statement>(stmt_address), nullptr);
  EXPECT_EQ(find_handle<Descriptor>(desc_address), nullptr);
}

TEST(HandleRegistry, ImplicitDescriptorsLiveAsLongAsTheirStatement) {
  Environment env;
  Connection dbc(env);
  if (connect_fake(dbc) == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  int target_stmt = 0;
  int ard = 0;
  int explicit_target = 0;
  auto* stmt = new Statement(dbc, &target_stmt);
  Descriptor* implicit = stmt->descriptor_for(&ard);
  ASSERT_NE(implicit, nullptr);
  EXPECT_TRUE(implicit->implicit());
  EXPECT_EQ(stmt->descriptor_for(&ard), implicit);  // wrapped once
  EXPECT_EQ(find_handle<Descriptor>(implicit), implicit);
  EXPECT_EQ(stmt->descriptor_for(SQL_NULL_HDESC), nullptr);
  // An explicitly allocated descriptor of the connection is returned as is.
  auto* explicit_desc = new Descriptor(dbc, &explicit_target, false);
  dbc.attach(explicit_desc);
  EXPECT_EQ(stmt->descriptor_for(&explicit_target), explicit_desc);
  dbc.detach(explicit_desc);
  delete explicit_desc;
  const void* implicit_address = implicit;
  delete stmt;
  EXPECT_EQ(find_handle<Descriptor>(implicit_address), nullptr);
}

TEST(HandleRegistry, FreeChildrenUnregistersStatementsAndDescriptors) {
  Environment env;
  Connection dbc(env);
  if (connect_fake(dbc) == nullptr)
    FAIL() << testing::kSqliteDriver
           << " not installed (scripts/install-deps installs libsqliteodbc)";
  int targets[3] = {};
  auto* s1 = new Statement(dbc, &targets[0]);
  auto* s2 = new Statement(dbc, &targets[1]);
  auto* d = new Descriptor(dbc, &targets[2], false);
  dbc.attach(s1);
  dbc.attach(s2);
  dbc.attach(d);
  const void* addresses[3] = {s1, s2, d};
  dbc.free_children(false);  // nothing is said to the (fake) target
  EXPECT_EQ(find_handle<Statement>(addresses[0]), nullptr);
  EXPECT_EQ(find_handle<Statement>(addresses[1]), nullptr);
  EXPECT_EQ(find_handle<Descriptor>(addresses[2]), nullptr);
  EXPECT_EQ(find_handle<Connection>(&dbc), &dbc);
  EXPECT_EQ(dbc.explicit_descriptor_for(&targets[2]), nullptr);
}

}  // namespace
}  // namespace odbcpool
