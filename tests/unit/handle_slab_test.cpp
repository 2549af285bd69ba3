// The handles' own storage: slots handed out, checked without a lock,
// freed and reused; pointers that are not a live slot are never taken for one.
#include "handle_slab.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "handles.h"

namespace odbcpool {
namespace {

TEST(HandleSlab, ASlotIsLiveFromAllocationToRelease) {
  SlabRange range(64);
  void* a = range.allocate();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a) % alignof(std::max_align_t), 0u);
  EXPECT_TRUE(range.is_live(a));
  EXPECT_TRUE(range.release(a));
  EXPECT_FALSE(range.is_live(a));
  void* b = range.allocate();
  EXPECT_EQ(b, a) << "a freed slot is reused";
  EXPECT_TRUE(range.is_live(b));
}

TEST(HandleSlab, PointersThatAreNotASlotStartAreNotLive) {
  SlabRange range(64);
  void* a = range.allocate();
  ASSERT_NE(a, nullptr);
  auto* bytes = static_cast<char*>(a);
  EXPECT_FALSE(range.is_live(bytes + 8));
  EXPECT_FALSE(range.is_live(bytes + 64)) << "the next slot was never handed out";
  EXPECT_FALSE(range.is_live(bytes - 64));
  int on_the_stack = 0;
  EXPECT_FALSE(range.is_live(&on_the_stack));
  EXPECT_FALSE(range.is_live(nullptr));
  EXPECT_FALSE(range.release(&on_the_stack)) << "storage that is not ours is left alone";
}

TEST(HandleSlab, ManySlotsAreDistinctAndCommittedAsNeeded) {
  SlabRange range(1024);
  std::set<void*> seen;
  for (int i = 0; i < 5000; ++i) {  // more than one commit step
    void* p = range.allocate();
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(seen.insert(p).second);
    std::memset(p, 0xAB, 1024 - SlabRange::kHeader);  // the whole slot is writable
  }
  for (void* p : seen) EXPECT_TRUE(range.is_live(p));
  for (void* p : seen) EXPECT_TRUE(range.release(p));
  for (void* p : seen) EXPECT_FALSE(range.is_live(p));
}

TEST(HandleSlab, ConcurrentAllocationsNeverShareASlot) {
  SlabRange range(128);
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::vector<void*>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        void* p = range.allocate();
        got[t].push_back(p);
        if (i % 3 == 0) {
          range.release(p);
          got[t].back() = nullptr;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<void*> live;
  for (auto& list : got) {
    for (void* p : list) {
      if (p == nullptr) continue;
      EXPECT_TRUE(live.insert(p).second);
      EXPECT_TRUE(range.is_live(p));
    }
  }
}

// Handles made by new live in their class's slot range and are found
// without the registry; once deleted they are refused.
TEST(HandleSlab, HandlesFromNewAreFoundAndFreedOnesRefused) {
  auto* env = new Environment();
  EXPECT_TRUE(slab_of<Environment>().is_live(env));
  EXPECT_EQ(find_handle<Environment>(env), env);
  EXPECT_EQ(find_handle<Connection>(env), nullptr) << "wrong kind";
  delete env;
  EXPECT_EQ(find_handle<Environment>(env), nullptr);
  Environment on_the_stack;
  EXPECT_FALSE(slab_of<Environment>().is_live(&on_the_stack));
  EXPECT_EQ(find_handle<Environment>(&on_the_stack), &on_the_stack) << "through the registry";
}

}  // namespace
}  // namespace odbcpool
