// Where the handles the application gets live: one reserved address range
// per handle class, whose memory is never given back. That makes checking a
// handle on every call lock-free and always defined: a pointer inside the
// range at a slot's start is read in place (a slot's header says whether
// a handle lives there), one outside it is not ours, and the caller falls
// back to the HandleRegistry (handles made elsewhere, such as on a test's
// stack, and every refusal).
//
// The rule for a handle that makes this enough: it is the application's
// between SQLAllocHandle and SQLFreeHandle, and no call on it may overlap
// its free. The Driver Manager keeps that rule for the application.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

namespace odbcpool {

class SlabRange {
 public:
  // `slot_size` includes the header; reserves address space only.
  explicit SlabRange(std::size_t slot_size) noexcept;
  SlabRange(const SlabRange&) = delete;
  SlabRange& operator=(const SlabRange&) = delete;

  // A slot's object storage (after its header), marked live; nullptr when
  // the range is full or could not be reserved (then use the heap).
  void* allocate() noexcept;
  // Marks the slot free for reuse; false for storage that is not ours.
  bool release(void* object) noexcept;

  // The live object at `object`, if it is one of this range's.
  bool is_live(const void* object) const noexcept {
    const auto a = reinterpret_cast<std::uintptr_t>(object) - kHeader;
    const std::uintptr_t offset = a - base_;
    if (a < base_ || offset >= used_.load(std::memory_order_acquire) || offset % slot_size_ != 0) {
      return false;
    }
    return reinterpret_cast<const Header*>(a)->live.load(std::memory_order_acquire) != 0;
  }

  // For fork: the allocation lock (the check above takes none).
  void lock() noexcept { mutex_.lock(); }
  void unlock() noexcept { mutex_.unlock(); }

  static constexpr std::size_t kHeader = 16;  // keeps the object 16-byte aligned

 private:
  struct Header {
    std::atomic<std::uint32_t> live;
  };
  bool commit_locked(std::size_t bytes) noexcept;

  std::uintptr_t base_ = 0;
  std::size_t reserved_ = 0;
  std::size_t slot_size_;
  std::atomic<std::size_t> used_{0};  // bytes of slots handed out at least once
  std::size_t committed_ = 0;
  std::mutex mutex_;
  std::vector<std::uintptr_t> free_;
};

// The range of handle class T (leaked: handles outlive static destruction).
template <class T>
SlabRange& slab_of() {
  static constexpr std::size_t kSlot =
      (sizeof(T) + SlabRange::kHeader + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
      alignof(std::max_align_t);
  static SlabRange* const range = new SlabRange(kSlot);
  return *range;
}

// operator new and delete of a handle class T: its own range, or the heap
// for a size that is not T's (a subclass) or when the range is full.
template <class T>
void* allocate_handle(std::size_t size) {
  if (size == sizeof(T)) {
    if (void* p = slab_of<T>().allocate()) return p;
  }
  return ::operator new(size);
}

template <class T>
void free_handle(void* p) noexcept {
  if (!slab_of<T>().release(p)) ::operator delete(p);
}

}  // namespace odbcpool
