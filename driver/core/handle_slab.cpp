#include "handle_slab.h"

#include <sys/mman.h>

namespace odbcpool {

namespace {

// Address space only: 4 GiB a class is millions of handles, and costs
// nothing until used.
constexpr std::size_t kReserve = std::size_t{1} << 32;
constexpr std::size_t kCommitStep = std::size_t{1} << 20;

}  // namespace

SlabRange::SlabRange(std::size_t slot_size) noexcept : slot_size_(slot_size) {
  void* p = mmap(nullptr, kReserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return;  // every handle of this class goes to the heap
  base_ = reinterpret_cast<std::uintptr_t>(p);
  reserved_ = kReserve;
}

bool SlabRange::commit_locked(std::size_t bytes) noexcept {
  if (bytes <= committed_) return true;
  if (bytes > reserved_) return false;
  std::size_t want = (bytes + kCommitStep - 1) / kCommitStep * kCommitStep;
  if (want > reserved_) want = reserved_;
  if (mprotect(reinterpret_cast<void*>(base_ + committed_), want - committed_,
               PROT_READ | PROT_WRITE) != 0) {
    return false;
  }
  committed_ = want;
  return true;
}

void* SlabRange::allocate() noexcept {
  if (base_ == 0) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  std::uintptr_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    const std::size_t used = used_.load(std::memory_order_relaxed);
    if (!commit_locked(used + slot_size_)) return nullptr;
    slot = base_ + used;
    new (reinterpret_cast<void*>(slot)) Header{};
    used_.store(used + slot_size_, std::memory_order_release);
  }
  reinterpret_cast<Header*>(slot)->live.store(1, std::memory_order_release);
  return reinterpret_cast<void*>(slot + kHeader);
}

bool SlabRange::release(void* object) noexcept {
  const auto slot = reinterpret_cast<std::uintptr_t>(object) - kHeader;
  const std::uintptr_t offset = slot - base_;
  if (base_ == 0 || slot < base_ || offset >= used_.load(std::memory_order_acquire) ||
      offset % slot_size_ != 0) {
    return false;
  }
  reinterpret_cast<Header*>(slot)->live.store(0, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    free_.push_back(slot);
  } catch (...) {
    // Out of memory: the slot is lost, not reused.
  }
  return true;
}

}  // namespace odbcpool
