// One physical connection of the target driver: a target SQLHDBC allocated on
// the process-wide target environment and connected.
#pragma once

#include <string>

#include "odbc.h"
#include "target_library.h"

namespace odbcpool {

class TargetConnection {
 public:
  TargetConnection(TargetLibrary& library, SQLHDBC dbc) : library_(&library), dbc_(dbc) {}
  ~TargetConnection() { close(); }
  TargetConnection(const TargetConnection&) = delete;
  TargetConnection& operator=(const TargetConnection&) = delete;

  TargetLibrary& library() const { return *library_; }
  const FunctionTable& fn() const { return library_->fn(); }
  SQLHDBC dbc() const { return dbc_; }

  // Disconnects and frees the target handle; safe to call twice.
  void close() noexcept;
  // Forgets the handle without a word to the target (after fork, in the
  // child: the socket belongs to the parent).
  void abandon() noexcept { dbc_ = SQL_NULL_HDBC; }

 private:
  TargetLibrary* library_;
  SQLHDBC dbc_;
};

}  // namespace odbcpool
