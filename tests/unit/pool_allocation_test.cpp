// The common path (an idle connection borrowed and given back) allocates
// nothing. This executable counts every operator new on the test's thread.
#include <cstdlib>
#include <new>

#include "pool_test_support.h"

namespace {
thread_local bool counting = false;
thread_local long allocations = 0;

void* allocate(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) {
  return allocate(size);
}
void* operator new[](std::size_t size) {
  return allocate(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace odbcpool::pool::testing {
namespace {

TEST(AllocationTest, BorrowAndGiveBackDoNotAllocateOnceWarm) {
  auto factory = std::make_shared<FakeFactory>();
  Settings settings = test_settings(4);
  settings.leak_threshold = 1h;                // the borrower text is kept
  Pool pool("allocation", settings, factory);  // the real clock
  const std::string borrower = "a borrower description well past the small-string buffer";
  for (int i = 0; i < 10; ++i) pool.give_back(pool.borrow(borrower), ReturnState::Healthy);

  counting = true;
  for (int i = 0; i < 1000; ++i) {
    Lease lease = pool.borrow(borrower);
    pool.give_back(std::move(lease), ReturnState::Healthy);
  }
  { Lease dropped = pool.borrow(borrower); }
  counting = false;
  EXPECT_EQ(allocations, 0);
}

}  // namespace
}  // namespace odbcpool::pool::testing
