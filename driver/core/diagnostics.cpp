#include "diagnostics.h"

#include <algorithm>

#include "target_diagnostics.h"

namespace odbcpool {

void Diagnostics::begin_call_locked(const TargetHandle& target) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!records_.empty()) records_.clear();
  target_ = target;
  return_code_ = SQL_SUCCESS;
  odbc2_records_read_ = 0;
  settled_fn_.store(target.fn, std::memory_order_relaxed);
  settled_handle_.store(target.handle, std::memory_order_release);
}

SQLSMALLINT Diagnostics::next_odbc2_record() {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  if (odbc2_records_read_ < 32767) ++odbc2_records_read_;
  return odbc2_records_read_;
}

void Diagnostics::forget_target() {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  target_ = {};
}

void Diagnostics::set_return_code(SQLRETURN rc) {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  return_code_ = rc;
}

void Diagnostics::absorb_target_locked() {
  if (!target_) return;
  auto copied = read_target_diagnostics(*target_.fn, target_.type, target_.handle);
  records_.insert(records_.begin(), copied.begin(), copied.end());
  target_ = {};
}

void Diagnostics::add(DiagRecord record) {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  absorb_target_locked();
  records_.push_back(std::move(record));
}

void Diagnostics::add_all(const std::vector<DiagRecord>& records) {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  absorb_target_locked();
  records_.insert(records_.end(), records.begin(), records.end());
}

TargetHandle Diagnostics::target() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return target_;
}

void Diagnostics::adopt_target_records(const std::vector<DiagRecord>& records) {
  std::lock_guard<std::mutex> lock(mutex_);
  unsettle_locked();
  records_.insert(records_.begin(), records.begin(), records.end());
  target_ = {};
}

bool Diagnostics::has_own_errors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& r : records_) {
    if (!r.is_warning()) return true;
  }
  return false;
}

Diagnostics::View Diagnostics::view() const {
  std::lock_guard<std::mutex> lock(mutex_);
  View v;
  v.return_code = return_code_;
  if (records_.empty()) {
    v.target = target_;
  } else {
    v.records = records_;
    // Errors come before warnings, as the ODBC specification ranks them.
    std::stable_partition(v.records.begin(), v.records.end(),
                          [](const DiagRecord& r) { return !r.is_warning(); });
  }
  return v;
}

}  // namespace odbcpool
