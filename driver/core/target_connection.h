// One physical connection of the target driver: a target SQLHDBC allocated on
// the process-wide target environment and connected.
#pragma once

#include <string>

#include "odbc.h"
#include "target_library.h"

namespace odbcpool {

class TargetConnection {
 public:
  TargetConnection(TargetLibrary& library, SQLHDBC dbc, bool connected_wide = false)
      : library_(&library), fn_(library.fn()), dbc_(dbc), connected_wide_(connected_wide) {}
  ~TargetConnection() { close(); }
  TargetConnection(const TargetConnection&) = delete;
  TargetConnection& operator=(const TargetConnection&) = delete;

  TargetLibrary& library() const { return *library_; }
  // The target's entry points as the Driver Manager would call them on this
  // connection: once connected, without those it disowns.
  const FunctionTable& fn() const { return fn_; }
  // Call once connected (see drop_disowned).
  void learn_claims() { drop_disowned(fn_, dbc_); }
  SQLHDBC dbc() const { return dbc_; }
  // Whether it was connected with SQLDriverConnectW.
  bool connected_wide() const { return connected_wide_; }

  // Disconnects and frees the target handle; safe to call twice.
  void close() noexcept;
  // Forgets the handle without a word to the target (after fork, in the
  // child: the socket belongs to the parent).
  void abandon() noexcept { dbc_ = SQL_NULL_HDBC; }

 private:
  TargetLibrary* library_;
  FunctionTable fn_;
  SQLHDBC dbc_;
  bool connected_wide_;
};

}  // namespace odbcpool
