#include "host_slots.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

namespace odbcpool::pool {

namespace {

// Holder bytes start well past the file's text.
constexpr off_t kHolderBase = off_t{1} << 20;
constexpr short kFree = 0;   // semaphore 0: slots free now
constexpr short kLimit = 1;  // semaphore 1: the limit the slots were made with
constexpr int kMode = 0660;  // the owning user and group only
// A creator that died before setting the values would block everyone.
constexpr auto kCreatorGrace = std::chrono::seconds(2);
constexpr const char* kSuffix = ".slots";

union SemArgument {
  int val;
  struct semid_ds* buf;
  unsigned short* array;
};

std::string errno_text(int error) {
  return std::strerror(error);
}

std::string hex(key_t key) {
  char text[16];
  std::snprintf(text, sizeof text, "%x", static_cast<unsigned>(key));
  return text;
}

// FNV-1a: the same in every build and process.
constexpr std::uint64_t kHashStart = 0xcbf29ce484222325ULL;

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

// The key names the directory (by device and inode, however it is spelt)
// and the pool; never IPC_PRIVATE.
key_t semaphore_key(const struct stat& dir, std::uint64_t identity_hash) {
  std::uint64_t h = kHashStart;
  h = fnv1a(h, &dir.st_dev, sizeof dir.st_dev);
  h = fnv1a(h, &dir.st_ino, sizeof dir.st_ino);
  h = fnv1a(h, &identity_hash, sizeof identity_hash);
  auto key = static_cast<key_t>((h ^ (h >> 32)) & 0x7fffffff);
  return key == IPC_PRIVATE ? 1 : key;
}

std::string slot_file_name(const std::string& dir, std::uint64_t identity_hash) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(identity_hash));
  return dir + "/" + name + kSuffix;
}

int semaphore_value(int semaphore, short which) noexcept {
  return semctl(semaphore, which, GETVAL);
}

// Sets a new set's values: `limit` free, and the limit; the semop that
// follows marks it set up (sem_otime) for whoever waits for that.
bool set_up_semaphore(int id, std::size_t limit) noexcept {
  unsigned short values[2] = {static_cast<unsigned short>(limit),
                              static_cast<unsigned short>(limit)};
  SemArgument arg{};
  arg.array = values;
  sembuf touch[2] = {{kLimit, 1, 0}, {kLimit, -1, 0}};
  return semctl(id, 0, SETALL, arg) == 0 && semop(id, touch, 2) == 0;
}

// Creates the set with `limit` free, or waits for whoever created it to have
// set its values.
int create_or_open_semaphore(key_t key, std::size_t limit, const std::string& file) {
  int id = semget(key, 2, IPC_CREAT | IPC_EXCL | kMode);
  if (id >= 0) {
    if (!set_up_semaphore(id, limit)) {
      const int error = errno;
      semctl(id, 0, IPC_RMID);
      throw HostSlotsError("cannot set up the host slots' semaphore for " + file + ": " +
                           errno_text(error));
    }
    return id;
  }
  if (errno != EEXIST) {
    throw HostSlotsError("cannot create the host slots' semaphore for " + file + ": " +
                         errno_text(errno));
  }
  id = semget(key, 2, kMode);
  if (id < 0) {
    const int error = errno;
    throw HostSlotsError("cannot use the host slots' semaphore (key 0x" + hex(key) + ") for " +
                         file + ": " + errno_text(error) +
                         (error == EACCES ? " (it belongs to another user or group)" : ""));
  }
  const auto give_up_at = std::chrono::steady_clock::now() + kCreatorGrace;
  for (;;) {
    struct semid_ds info {};
    SemArgument arg{};
    arg.buf = &info;
    if (semctl(id, 0, IPC_STAT, arg) != 0) {
      throw HostSlotsError("cannot read the host slots' semaphore for " + file + ": " +
                           errno_text(errno));
    }
    if (info.sem_otime != 0) return id;
    if (std::chrono::steady_clock::now() >= give_up_at) {
      // Its creator died between creating and setting it: set it ourselves.
      if (set_up_semaphore(id, limit)) return id;
      throw HostSlotsError("cannot set up the host slots' semaphore for " + file + ": " +
                           errno_text(errno));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Creates the file with its text, or opens the one another process made.
int open_slot_file(const std::string& file, const std::string& description, key_t key) {
  int fd = open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kMode);
  if (fd >= 0) {
    fchmod(fd, kMode);  // whatever the umask
    const std::string text =
        "odbcpool host slots\npool: " + description + "\nsemaphore key: 0x" + hex(key) + "\n";
    if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      const int error = errno;
      close(fd);
      unlink(file.c_str());
      throw HostSlotsError("cannot write " + file + ": " + errno_text(error));
    }
    return fd;
  }
  if (errno == EEXIST) fd = open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw HostSlotsError("cannot open " + file + ": " + errno_text(errno));
  return fd;
}

bool lock_byte(int fd, off_t at, short type) noexcept {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = at;
  lock.l_len = 1;
  return fcntl(fd, F_SETLK, &lock) == 0;
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<HostSlots>> by_file;
};

Registry& registry() {
  static auto* r = new Registry;  // never destroyed: used from exit handlers
  return *r;
}

std::uint64_t identity_hash_of(const std::string& identity) {
  return fnv1a(kHashStart, identity.data(), identity.size());
}

}  // namespace

HostSlots::Joined HostSlots::join(const std::string& dir, const std::string& identity,
                                  std::size_t limit, const std::string& description) {
  const std::uint64_t identity_hash = identity_hash_of(identity);
  if (limit < 1 || limit > kLargestHostMaxSize) {
    throw HostSlotsError("a host limit of " + std::to_string(limit) + " is out of range: 1 to " +
                         std::to_string(kLargestHostMaxSize));
  }
  struct stat dir_info {};
  if (stat(dir.c_str(), &dir_info) != 0) {
    throw HostSlotsError("the host slot directory " + dir + ": " + errno_text(errno));
  }
  if (!S_ISDIR(dir_info.st_mode)) {
    throw HostSlotsError("the host slot directory " + dir + " is not a directory");
  }
  const std::string file = slot_file_name(dir, identity_hash);
  const key_t key = semaphore_key(dir_info, identity_hash);

  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  Joined joined;
  auto found = r.by_file.find(file);
  if (found != r.by_file.end()) joined.slots = found->second.lock();
  if (!joined.slots) {
    const int semaphore = create_or_open_semaphore(key, limit, file);
    const int fd = open_slot_file(file, description, key);
    joined.slots.reset(new HostSlots(file, fd, semaphore));
    r.by_file[file] = joined.slots;
  }
  // Another limit: take ours while nobody holds or waits for a slot (one
  // atomic step against every taker), else theirs applies.
  const int made_with = semaphore_value(joined.slots->semaphore_, kLimit);
  if (made_with >= 0 && static_cast<std::size_t>(made_with) != limit) {
    const int free_now = semaphore_value(joined.slots->semaphore_, kFree);
    const int waiting = semctl(joined.slots->semaphore_, kFree, GETNCNT);
    const auto delta = static_cast<short>(static_cast<int>(limit) - made_with);
    sembuf change[2] = {{kFree, delta, IPC_NOWAIT}, {kLimit, delta, IPC_NOWAIT}};
    if (free_now == made_with && waiting == 0 && semop(joined.slots->semaphore_, change, 2) == 0) {
      joined.changed_from = static_cast<std::size_t>(made_with);
    } else {
      joined.other_limit = static_cast<std::size_t>(made_with);
    }
  }
  return joined;
}

HostSlots::HostSlots(std::string file, int fd, int semaphore) noexcept
    : file_(std::move(file)), fd_(fd), semaphore_(semaphore), pid_(getpid()) {}

// The file stays open: closing any descriptor of it would drop this
// process's record locks.
HostSlots::~HostSlots() = default;

void HostSlots::forget_if_forked_locked() noexcept {
  const pid_t now = getpid();
  if (now == pid_) return;
  // A child: the kernel gave it neither the parent's undo values nor its
  // record locks.
  pid_ = now;
  locked_.clear();
  taken_ = 0;
}

bool HostSlots::try_take() noexcept {
  sembuf op = {kFree, -1, static_cast<short>(SEM_UNDO | IPC_NOWAIT)};
  if (semop(semaphore_, &op, 1) != 0) return false;
  lock_holder_byte();
  return true;
}

bool HostSlots::take(Duration wait) noexcept {
  const auto deadline =
      std::chrono::steady_clock::now() + std::min(wait, Duration(std::chrono::hours(24)));
  sembuf op = {kFree, -1, SEM_UNDO};
  for (;;) {
    const Duration left = deadline - std::chrono::steady_clock::now();
    if (left <= Duration::zero()) return try_take();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    timespec timeout{static_cast<time_t>(seconds.count()),
                     static_cast<long>((left - seconds).count())};
    if (semtimedop(semaphore_, &op, 1, &timeout) == 0) break;
    if (errno != EINTR) return false;
  }
  lock_holder_byte();
  return true;
}

void HostSlots::lock_holder_byte() noexcept {
  std::lock_guard<std::mutex> guard(mutex_);
  forget_if_forked_locked();
  ++taken_;
  try {
    for (std::size_t i = 0; i < kLargestHostMaxSize; ++i) {
      if (std::find(locked_.begin(), locked_.end(), i) != locked_.end()) continue;
      if (!lock_byte(fd_, kHolderBase + static_cast<off_t>(i), F_WRLCK)) continue;
      locked_.push_back(i);
      return;
    }
  } catch (...) {
    // Only the listing of holders misses this one; the slot is taken.
  }
}

void HostSlots::give_back() noexcept {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    forget_if_forked_locked();
    if (taken_ == 0) return;
    --taken_;
    if (!locked_.empty()) {
      lock_byte(fd_, kHolderBase + static_cast<off_t>(locked_.back()), F_UNLCK);
      locked_.pop_back();
    }
  }
  sembuf op = {kFree, 1, SEM_UNDO};
  while (semop(semaphore_, &op, 1) != 0 && errno == EINTR) {
  }
}

std::size_t HostSlots::limit() const noexcept {
  return static_cast<std::size_t>(std::max(semaphore_value(semaphore_, kLimit), 0));
}

std::size_t HostSlots::taken_on_host() const noexcept {
  const int made_with = semaphore_value(semaphore_, kLimit);
  const int free_now = semaphore_value(semaphore_, kFree);
  if (made_with < 0 || free_now < 0) return 0;
  return static_cast<std::size_t>(std::max(made_with - free_now, 0));
}

std::size_t HostSlots::waiting_on_host() const noexcept {
  return static_cast<std::size_t>(std::max(semctl(semaphore_, kFree, GETNCNT), 0));
}

std::size_t HostSlots::taken_here() const noexcept {
  std::lock_guard<std::mutex> guard(mutex_);
  return getpid() == pid_ ? taken_ : 0;
}

void HostSlots::remove_for_test(const std::string& dir, const std::string& identity) noexcept {
  struct stat dir_info {};
  if (stat(dir.c_str(), &dir_info) != 0) return;
  const int id = semget(semaphore_key(dir_info, identity_hash_of(identity)), 2, 0);
  if (id >= 0) semctl(id, 0, IPC_RMID);
}

// ---- Reading from outside

namespace {

HostSlotUsage read_one(const std::string& file) {
  HostSlotUsage usage;
  usage.file = file;
  std::ifstream in(file);
  std::string line;
  unsigned long key = 0;
  while (std::getline(in, line)) {
    if (line.rfind("pool: ", 0) == 0) usage.description = line.substr(6);
    if (line.rfind("semaphore key: 0x", 0) == 0) key = std::strtoul(line.c_str() + 17, nullptr, 16);
  }
  if (key == 0) {
    usage.error = "not a slot file of odbcpool's";
    return usage;
  }
  const int id = semget(static_cast<key_t>(key), 2, 0);
  if (id < 0) {
    usage.error = "its semaphore: " + errno_text(errno);
    return usage;
  }
  const int made_with = semaphore_value(id, kLimit);
  const int free_now = semaphore_value(id, kFree);
  const int waiting = semctl(id, kFree, GETNCNT);
  if (made_with < 0 || free_now < 0 || waiting < 0) {
    usage.error = "its semaphore: " + errno_text(errno);
    return usage;
  }
  usage.limit = static_cast<std::size_t>(made_with);
  usage.taken = static_cast<std::size_t>(std::max(made_with - free_now, 0));
  usage.waiting = static_cast<std::size_t>(waiting);
  // A reader that held slots of its own would drop them by closing this
  // descriptor; odbcpool's tools hold none.
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    usage.error = "cannot open it: " + errno_text(errno);
    return usage;
  }
  off_t at = kHolderBase;
  const off_t end = kHolderBase + static_cast<off_t>(kLargestHostMaxSize);
  while (at < end) {
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = at;
    probe.l_len = end - at;
    if (fcntl(fd, F_GETLK, &probe) != 0 || probe.l_type == F_UNLCK) break;
    for (off_t i = 0; i < probe.l_len && probe.l_start + i < end; ++i)
      usage.holders.push_back(probe.l_pid);
    at = probe.l_start + std::max<off_t>(probe.l_len, 1);
  }
  close(fd);
  std::sort(usage.holders.begin(), usage.holders.end());
  return usage;
}

}  // namespace

std::vector<HostSlotUsage> read_host_slot_usage(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > std::strlen(kSuffix) &&
          name.compare(name.size() - std::strlen(kSuffix), std::string::npos, kSuffix) == 0) {
        files.push_back(dir + "/" + name);
      }
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  std::vector<HostSlotUsage> usage;
  usage.reserve(files.size());
  for (const std::string& f : files) usage.push_back(read_one(f));
  return usage;
}

}  // namespace odbcpool::pool
