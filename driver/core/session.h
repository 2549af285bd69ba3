// What a logical connection holds while connected: a physical target
// connection lent to it, by the pool or (Pooling=no) for its sole use. The
// ODBC layer only sees this interface; pool policy lives behind it.
#pragma once

#include "target_connection.h"

namespace odbcpool {

class Session {
 public:
  virtual ~Session() = default;
  virtual TargetConnection& target() = 0;
  // Whether the physical connection came from a pool.
  virtual bool pooled() const { return false; }
  // The application saw a connection-class error (08xxx, server shutdown)
  // on this connection: it must not be reused.
  virtual void mark_broken() noexcept = 0;
  // The application is about to change a connection attribute; a pooled
  // session records its original value so it can be restored on return.
  virtual void before_set_attribute(long attribute, bool is_text) { (void)attribute, (void)is_text; }
  // SQLDisconnect: the application is done with the connection. Its
  // statements are already freed.
  virtual void end() noexcept = 0;
};

}  // namespace odbcpool
