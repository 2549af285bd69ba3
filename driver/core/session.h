// What a logical connection holds while connected: a physical target
// connection lent to it, by the pool or (Pooling=no) for its sole use. The
// ODBC layer only sees this interface; pool policy lives behind it.
#pragma once

#include <cstdint>

#include "fork_generation.h"
#include "target_connection.h"

namespace odbcpool {

class Session {
 public:
  virtual ~Session() = default;
  // Made before a fork() this process is the child of: its socket belongs
  // to the parent, so nothing may be sent on it.
  bool inherited() const { return born_ != fork_generation(); }
  virtual TargetConnection& target() = 0;
  // Whether the physical connection came from a pool.
  virtual bool pooled() const { return false; }
  // The application saw a connection-class error (08xxx, server shutdown)
  // on this connection: it must not be reused.
  virtual void mark_broken() noexcept = 0;
  // The application is about to change a connection attribute; a pooled
  // session records its original value so it can be restored on return.
  virtual void before_set_attribute(long attribute, bool is_text) {
    (void)attribute, (void)is_text;
  }
  // The application called a wide function on the connection handle.
  // psqlODBC switches a connection to Unicode mode for good on its first
  // wide connection-level call, so a pooled connection opened in ANSI that
  // has seen one is not clean any more.
  virtual void note_wide_call() noexcept {}
  // SQLDisconnect: the application is done with the connection. Its
  // statements are already freed.
  virtual void end() noexcept = 0;

 private:
  std::uint64_t born_ = fork_generation();
};

}  // namespace odbcpool
