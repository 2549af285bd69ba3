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
  // The application saw a connection-class error (08xxx, server shutdown)
  // on this connection: it must not be reused.
  virtual void mark_broken() noexcept = 0;
  // SQLDisconnect: the application is done with the connection. Its
  // statements are already freed.
  virtual void end() noexcept = 0;
};

}  // namespace odbcpool
