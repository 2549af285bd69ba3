// Exceptions the core throws; the ODBC boundary turns each into diagnostic
// records and a return code. None of them ever leaves the library.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "diag_record.h"

namespace odbcpool {

// An error of odbcpool's own, with an SQLSTATE.
class OdbcError : public std::runtime_error {
 public:
  OdbcError(std::string sqlstate, const std::string& message, int native = 0)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), native_(native) {}
  const std::string& sqlstate() const { return sqlstate_; }
  int native() const { return native_; }

 private:
  std::string sqlstate_;
  int native_;
};

// A target driver call failed and its records had to be copied out, because
// the target handle that held them is gone (a failed connect, say).
class TargetError : public std::runtime_error {
 public:
  TargetError(std::vector<DiagRecord> records, short return_code)
      : std::runtime_error(records.empty() ? std::string("target driver call failed")
                                           : records.front().message),
        records_(std::move(records)),
        return_code_(return_code) {}
  const std::vector<DiagRecord>& records() const { return records_; }
  short return_code() const { return return_code_; }

 private:
  std::vector<DiagRecord> records_;
  short return_code_;
};

}  // namespace odbcpool
