// What the pool pools, as the ODBC layer implements it. The pool never calls
// a Resource or the factory while holding its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "pool_clock.h"

namespace odbcpool::pool {

// What a connection was opened as, opaque to the pool: the ODBC layer tags
// each physical connection with the call form (wide or ANSI) and ODBC
// version it was opened in, since a driver may treat a connection
// differently for good after its first call in one form. A borrow takes only
// a connection of its own kind; every kind shares the pool's max_size.
using Kind = std::uint32_t;

// One physical connection. The pool calls exactly one of close() or
// abandon() before destroying it, so the destructor must not talk to the
// server.
class Resource {
 public:
  virtual ~Resource();
  // A cheap local check (SQL_ATTR_CONNECTION_DEAD); true when known dead.
  virtual bool is_dead_quick() = 0;
  // Runs the validation query; false on failure or after `timeout`.
  virtual bool ping(Duration timeout) = 0;
  // Disconnects physically.
  virtual void close() noexcept = 0;
  // In a child after fork(): forgets the connection without sending anything
  // to the server, whose socket the parent still uses.
  virtual void abandon() noexcept = 0;
};

class ResourceFactory {
 public:
  virtual ~ResourceFactory();
  // Opens a new physical connection of `kind`, taking at most about
  // `budget` where that is not zero (what is left of the borrower's
  // acquire timeout). Throws on failure; the pool records what() as its
  // last connect error and rethrows the same exception to the borrower.
  virtual std::unique_ptr<Resource> open(Kind kind, Duration budget) = 0;
};

// Why the pool closed a connection (a metrics label).
enum class CloseReason {
  IdleTimeout,
  Lifetime,
  ValidationFailed,
  Broken,
  ResetFailed,
  KeepaliveFailed,
  Shutdown,    // the pool itself was destroyed
  Replaced,    // closed to open a connection of another kind in its slot
  HostDemand,  // idle while another process waited for a host slot
};
inline constexpr std::size_t kCloseReasonCount = 9;

// snake_case: "idle_timeout", "lifetime", "validation_failed", "broken",
// "reset_failed", "keepalive_failed", "shutdown", "replaced", "host_demand".
const char* to_string(CloseReason reason) noexcept;

// How a borrower hands a connection back. The ODBC layer has already reset
// it (rolled back, restored attributes) before giving it back.
enum class ReturnState {
  Healthy,      // back to the idle stack
  Broken,       // a connection-class error (08xxx) during use: closed, and
                // every idle connection is checked before its next use
  ResetFailed,  // could not be reset: closed
};

}  // namespace odbcpool::pool
