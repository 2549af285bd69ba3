// Host-wide slots: at most `limit` physical connections of one pool held by
// all the processes of this host together (PoolHostMaxSize).
//
// The count is a System V semaphore taken with SEM_UNDO, so the kernel gives
// a process's slots back when it dies however it dies, and a child after
// fork() starts with none (its undo values are cleared). Waiters block in the
// kernel, which serves them in arrival order, and the number blocked tells
// other processes that someone needs a slot. Beside it, every slot held is
// one locked byte (a POSIX record lock, also released at death and not
// inherited) of a file in the slot directory, so that another process can
// list the holders' pids. The file's text names the pool and its limit.
//
// One HostSlots per pool identity and directory per process (open() returns
// the same object again): record locks belong to the process, not a thread.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "pool_clock.h"

namespace odbcpool::pool {

// The slots cannot be made or joined (the directory, the file or the
// semaphore); what() names which and why.
class HostSlotsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The most a semaphore can count (SEMVMX on Linux).
inline constexpr std::size_t kLargestHostMaxSize = 32767;

class HostSlots {
 public:
  // What a process found when it joined the slots.
  struct Joined {
    std::shared_ptr<HostSlots> slots;
    // The limit other processes made the slots with, when it differs from
    // the one asked for and could not be changed because slots are held:
    // theirs applies (see limit()). Zero when there was no disagreement.
    std::size_t other_limit = 0;
    // The slots existed with another limit, unused, and now have ours.
    std::size_t changed_from = 0;
  };

  // Joins (creating where needed) the slots of the pool named by `identity`
  // (text that is the same in every process of the pool, never a password)
  // in `dir`, which must exist. The file and the semaphore are named by a
  // hash of it. `description` is written into the slot file for whoever
  // lists it. Throws HostSlotsError.
  static Joined join(const std::string& dir, const std::string& identity, std::size_t limit,
                     const std::string& description);

  ~HostSlots();
  HostSlots(const HostSlots&) = delete;
  HostSlots& operator=(const HostSlots&) = delete;

  // Takes one slot if one is free now.
  bool try_take() noexcept;
  // Takes one slot, waiting up to `wait` in the host's queue; false when
  // none was free in time (or the wait failed).
  bool take(Duration wait) noexcept;
  // Gives back one slot this process took. Does nothing in a child after
  // fork for a slot its parent took.
  void give_back() noexcept;

  // The limit the slots were made with (another process's if it differs).
  std::size_t limit() const noexcept;
  std::size_t taken_on_host() const noexcept;
  // Threads of every process, this one's included, blocked waiting now.
  std::size_t waiting_on_host() const noexcept;
  std::size_t taken_here() const noexcept;

  const std::string& file() const noexcept { return file_; }

  // For unit tests: removes the semaphore of slots no process uses.
  static void remove_for_test(const std::string& dir, const std::string& identity) noexcept;

 private:
  HostSlots(std::string file, int fd, int semaphore) noexcept;
  void forget_if_forked_locked() noexcept;
  void lock_holder_byte() noexcept;

  const std::string file_;
  const int fd_;         // kept open for the process's life: closing drops every record lock
  const int semaphore_;  // the set: [0] free slots, [1] the limit
  mutable std::mutex mutex_;
  pid_t pid_;                        // the process that holds what is below
  std::vector<std::size_t> locked_;  // holder bytes this process locked
  std::size_t taken_ = 0;            // slots this process took
};

// Who holds the slots of the files in a slot directory, read from outside
// (odbcpool stats --host); any process may read, none needs to hold a slot.
struct HostSlotUsage {
  std::string file;
  std::string description;  // what the creating process wrote
  std::size_t limit = 0;
  std::size_t taken = 0;
  std::size_t waiting = 0;
  std::vector<pid_t> holders;  // one entry per slot held
  std::string error;           // non-empty when the file could not be read
};

std::vector<HostSlotUsage> read_host_slot_usage(const std::string& dir);

}  // namespace odbcpool::pool
