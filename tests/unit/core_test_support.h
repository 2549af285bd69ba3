// Test doubles for the handle tests: a session that is never connected to
// anything, so that statements and descriptors can be made without a
// database.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "errors.h"
#include "handles.h"
#include "session.h"
#include "target_connection.h"
#include "target_library.h"

namespace odbcpool::testing {

// A real driver library, loaded only for its function table: nothing in
// these tests calls into it.
inline constexpr const char* kSqliteDriver = "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so";

inline TargetLibrary* sqlite_library() {
  try {
    return &TargetLibrary::load(kSqliteDriver);
  } catch (const OdbcError&) {
    return nullptr;
  }
}

// A session over a target connection without a target handle: closing it
// never reaches the driver.
class FakeSession final : public Session {
 public:
  explicit FakeSession(TargetLibrary& library) : target_(library, SQL_NULL_HDBC) {}
  TargetConnection& target() override { return target_; }
  void mark_broken() noexcept override { broken = true; }
  void end() noexcept override { ended = true; }

  bool broken = false;
  bool ended = false;

 private:
  TargetConnection target_;
};

// Gives `connection` a FakeSession and returns it, or nullptr (the caller
// fails) when the library is not installed.
inline FakeSession* connect_fake(Connection& connection) {
  TargetLibrary* library = sqlite_library();
  if (library == nullptr) return nullptr;
  auto session = std::make_unique<FakeSession>(*library);
  FakeSession* raw = session.get();
  connection.attach_session(std::move(session));
  return raw;
}

}  // namespace odbcpool::testing
