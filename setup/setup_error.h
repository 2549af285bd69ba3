// The one way setup code reports a refusal: an installer error code (ODBC_ERROR_*)
// and a message naming what was wrong. The entry points post it with
// SQLPostInstallerError, where SQLInstallerError finds it.
#pragma once

#include <odbcinst.h>

#include <stdexcept>
#include <string>

namespace odbcpool::setup {

class SetupError : public std::runtime_error {
 public:
  // `wrote_something`: the request failed after changing a file.
  SetupError(DWORD code, const std::string& message, bool wrote_something = false)
      : std::runtime_error(message), code_(code), wrote_something_(wrote_something) {}
  DWORD code() const { return code_; }
  bool wrote_something() const { return wrote_something_; }

 private:
  DWORD code_;
  bool wrote_something_;
};

}  // namespace odbcpool::setup
