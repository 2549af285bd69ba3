// The one wrapper every ODBC entry point runs its body in: find and check
// the handle, start its diagnostics afresh, run, and turn every exception
// into a diagnostic record. No exception leaves the library.
#pragma once

#include <new>
#include <type_traits>

#include "errors.h"
#include "handles.h"

namespace odbcpool {

namespace detail {

inline void record(Handle& handle, const DiagRecord& record) {
  try {
    handle.diag().forget_target();
    handle.diag().add(record);
  } catch (...) {
    // Out of memory while reporting: the return code still says it failed.
  }
}

}  // namespace detail

// After a call that may have left records on the target handle. They stay
// there to be read through on demand, unless the target hands them out only
// once or only through SQLError: then they are copied now. A failed call's
// records are checked for a connection-class error (08xxx, or the server
// shutting down): that physical connection must not be reused.
void keep_target_records(Handle& handle, SQLRETURN rc) noexcept;

template <class H, class Body>
SQLRETURN run_guarded(H& handle, Body&& body) noexcept {
  try {
    handle.diag().begin_call(handle.target_handle());
    const SQLRETURN rc = body(handle);
    if (rc == SQL_ERROR || rc == SQL_SUCCESS_WITH_INFO) keep_target_records(handle, rc);
    return rc;
  } catch (const OdbcError& e) {
    detail::record(handle, DiagRecord::own(e.sqlstate(), e.what(), e.native()));
  } catch (const TargetError& e) {
    try {
      handle.diag().forget_target();
      handle.diag().add_all(e.records());
    } catch (...) {
    }
  } catch (const std::bad_alloc&) {
    detail::record(handle, DiagRecord::own("HY001", "Memory allocation error"));
  } catch (const std::exception& e) {
    detail::record(handle, DiagRecord::own("HY000", std::string("internal error: ") + e.what()));
  } catch (...) {
    detail::record(handle, DiagRecord::own("HY000", "internal error"));
  }
  return SQL_ERROR;
}

// Whether the handle works through a connection made before a fork() this
// process is the child of. One generation compare: it runs on every call.
template <class H>
bool works_through_inherited(H& handle) noexcept {
  if constexpr (std::is_same_v<H, Connection>) {
    return handle.inherited();
  } else if constexpr (std::is_same_v<H, Statement> || std::is_same_v<H, Descriptor>) {
    return handle.connection().inherited();
  } else {
    return false;
  }
}

// The refusal of every call on an inherited handle: the target is not
// called, so nothing reaches the parent's server session.
SQLRETURN refuse_inherited(Handle& handle) noexcept;

// Every entry point but the few that clean up (guarded_cleanup below). A
// handle inherited across fork() is refused before the target sees the call.
template <class H, class Body>
SQLRETURN guarded(SQLHANDLE pointer, Body&& body) noexcept {
  H* handle = find_handle<H>(pointer);
  if (handle == nullptr) return SQL_INVALID_HANDLE;
  if (works_through_inherited(*handle)) return refuse_inherited(*handle);
  return run_guarded(*handle, std::forward<Body>(body));
}

// SQLDisconnect and the frees, which a forked child must be able to call on
// what it inherited to clean up. The body must itself send nothing to the
// target for an inherited handle: it frees only our side.
template <class H, class Body>
SQLRETURN guarded_cleanup(SQLHANDLE pointer, Body&& body) noexcept {
  H* handle = find_handle<H>(pointer);
  if (handle == nullptr) return SQL_INVALID_HANDLE;
  return run_guarded(*handle, std::forward<Body>(body));
}

// SQLGetDiagRec and SQLGetDiagField read the diagnostics of the last call,
// so they must not start afresh; they report their own failures only
// through the return code.
template <class Body>
SQLRETURN guarded_diag(Handle* handle, Body&& body) noexcept {
  if (handle == nullptr) return SQL_INVALID_HANDLE;
  try {
    return body(*handle);
  } catch (...) {
    return SQL_ERROR;
  }
}

// Returns SQL_SUCCESS_WITH_INFO where own warnings were added to a success.
inline SQLRETURN with_warnings(SQLRETURN rc, Handle& handle) {
  if (rc == SQL_SUCCESS && handle.diag().view().records.size() > 0) return SQL_SUCCESS_WITH_INFO;
  return rc;
}

}  // namespace odbcpool
