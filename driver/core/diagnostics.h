// The diagnostic area of one of our handles. After a forwarded call the
// target's records are left where they are, on the target handle, and read
// through on demand: that keeps them exactly as the target wrote them and
// costs nothing on the hot path. Records of odbcpool's own are kept here;
// when one is added after a target call, the target's records are copied in
// first so that the application sees both, in order.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include "diag_record.h"
#include "odbc.h"

namespace odbcpool {

struct FunctionTable;

struct TargetHandle {
  const FunctionTable* fn = nullptr;
  SQLSMALLINT type = 0;
  SQLHANDLE handle = SQL_NULL_HANDLE;
  explicit operator bool() const { return handle != SQL_NULL_HANDLE; }
};

class Diagnostics {
 public:
  // Every call but the diagnostic functions starts afresh; its records, if
  // any, will be on this target handle (none for calls the target never sees).
  void begin_call(const TargetHandle& target) {
    // The common case, with no lock: the last call left the area as this
    // would (a fetch loop on one statement).
    if (target.handle != SQL_NULL_HANDLE &&
        settled_handle_.load(std::memory_order_acquire) == target.handle &&
        settled_fn_.load(std::memory_order_relaxed) == target.fn) {
      return;
    }
    begin_call_locked(target);
  }
  void clear() { begin_call({}); }
  // For errors of our own raised before the target was called: whatever the
  // target holds belongs to an earlier call.
  void forget_target();
  void set_return_code(SQLRETURN rc);
  // Adds a record; first copies in whatever the target holds for this call.
  void add(DiagRecord record);
  void add_all(const std::vector<DiagRecord>& records);
  // The target handle this call's records are left on, if any.
  TargetHandle target() const;
  // Keeps records read from the target handle as our own, in front of any
  // own ones, and stops reading through: for drivers that hand each record
  // out only once (the SQLite ODBC driver), or only through SQLError.
  void adopt_target_records(const std::vector<DiagRecord>& records);
  bool has_own_errors() const;
  // ODBC 2's SQLError hands out each record of a call once: the number of
  // the next one (1, 2, ...), counting from the last call that began.
  SQLSMALLINT next_odbc2_record();

  // What SQLGetDiagRec/SQLGetDiagField read: either the own records, or a
  // target handle to read through to.
  struct View {
    std::vector<DiagRecord> records;
    TargetHandle target;  // set only when records are left on the target
    SQLRETURN return_code = SQL_SUCCESS;
  };
  View view() const;

 private:
  void begin_call_locked(const TargetHandle& target);
  void absorb_target_locked();
  void unsettle_locked() { settled_handle_.store(SQL_NULL_HANDLE, std::memory_order_release); }

  mutable std::mutex mutex_;
  std::vector<DiagRecord> records_;
  TargetHandle target_;
  SQLRETURN return_code_ = SQL_SUCCESS;
  SQLSMALLINT odbc2_records_read_ = 0;
  // Set while the area is exactly as begin_call(that target) leaves it, so
  // that the next call on the same target handle (a fetch loop) starts
  // afresh without the lock: every change of the area clears it first.
  std::atomic<SQLHANDLE> settled_handle_{SQL_NULL_HANDLE};
  std::atomic<const FunctionTable*> settled_fn_{nullptr};
};

}  // namespace odbcpool
