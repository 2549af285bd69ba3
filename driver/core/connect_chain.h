// A connect through odbcpool can lead to odbcpool again: a TargetDSN whose
// driver is odbcpool, which names another TargetDSN, and so on. Such a chain
// must end at a real driver; one that comes back to a DSN already on it
// would wait on itself until PoolAcquireTimeout. This file recognizes
// odbcpool's own library among target libraries, words the error for a chain
// that loops, and guards a connect at run time against being re-entered
// for the same DSN on the same thread (a route the configuration check in
// resolve_connect cannot see, such as one through the Driver Manager).
#pragma once

#include <string>
#include <vector>

#include "connect_config.h"

namespace odbcpool {

// Compares target libraries with one library file by identity (device and
// inode), so that a symlink or another path to the same file is recognized.
class OwnLibrary {
 public:
  // The library this code was loaded from (dladdr): libodbcpool.so in the
  // driver, the test program in a unit test.
  static const OwnLibrary& this_library();
  explicit OwnLibrary(std::string path);

  // `library` is a path, or a bare file name in unixODBC's driver directory,
  // as TargetLibrary::load takes it.
  bool is(const std::string& library) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool known_ = false;
  unsigned long long device_ = 0;
  unsigned long long inode_ = 0;
};

// One DSN (or the DSN-less connection string) on a chain, and how it names
// the next: "A" with "TargetDSN=B in odbc.ini [A] (/etc/odbc.ini)".
struct ChainLink {
  std::string name;
  std::string next;
};

// How a resolved connect names its target, with the file it came from.
ChainLink chain_link(const ConnectConfig& config, IniReader& ini);

// HY000 "the DSN chain loops: A -> B -> A; A has TargetDSN=B in ..., ...".
// `back_to` is the name the last link leads to.
[[noreturn]] void throw_chain_loop(const std::vector<ChainLink>& chain, const std::string& back_to,
                                   const std::string& why = std::string());

// Held while one connect of this thread opens (or borrows) its target
// connection. Throws the loop error when the same thread is already inside
// a connect for the same DSN (or the same DSN-less target): the connect
// would otherwise wait for itself.
class ConnectChainGuard {
 public:
  explicit ConnectChainGuard(const ConnectConfig& config);
  ~ConnectChainGuard();
  ConnectChainGuard(const ConnectChainGuard&) = delete;
  ConnectChainGuard& operator=(const ConnectChainGuard&) = delete;
};

}  // namespace odbcpool
