// Cancels a statement odbcpool runs itself (a validation, a reset or init
// statement) that outlives its timeout, for targets that ignore
// SQL_ATTR_QUERY_TIMEOUT: "a validation that takes longer fails".
//
//   WatchdogGuard guard(fn, stmt, timeout);   // armed
//   ... SQLExecDirect, fetch ...
//   // leaving the scope disarms it; once the destructor returns the
//   // watchdog never touches the statement again, so it may be freed.
#pragma once

#include <chrono>
#include <cstdint>

#include "odbc.h"

namespace odbcpool {

struct FunctionTable;

class WatchdogGuard {
 public:
  // A zero timeout, or a target without SQLCancel, arms nothing.
  WatchdogGuard(const FunctionTable& fn, SQLHSTMT stmt, std::chrono::nanoseconds timeout);
  ~WatchdogGuard();
  WatchdogGuard(const WatchdogGuard&) = delete;
  WatchdogGuard& operator=(const WatchdogGuard&) = delete;

  // Whether the watchdog had to cancel the statement.
  bool fired() const;

 private:
  std::uint64_t id_ = 0;
  mutable bool fired_ = false;
};

// For process_lifecycle.cpp only. The child gets a fresh watchdog (the old
// one's condition variables may count waiters of the parent's threads); its
// thread starts again on first use.
void statement_watchdog_lock_for_fork() noexcept;
void statement_watchdog_unlock_after_fork() noexcept;
void statement_watchdog_reset_in_child() noexcept;

}  // namespace odbcpool
