#include "boundary.h"

#include "target_diagnostics.h"

namespace odbcpool {

namespace {

bool is_connection_class(const std::string& sqlstate) {
  return sqlstate.compare(0, 2, "08") == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

}  // namespace

void keep_target_records(Handle& handle, SQLRETURN rc) noexcept {
  try {
    const std::vector<DiagRecord> records = handle.diag().absorb_target();
    if (rc != SQL_ERROR) return;
    Connection* connection = handle.owner_connection();
    if (connection == nullptr || !connection->connected()) return;
    for (const DiagRecord& r : records) {
      if (is_connection_class(r.sqlstate)) {
        connection->session().mark_broken();
        return;
      }
    }
  } catch (...) {
    // Best effort: the application still gets its error.
  }
}

}  // namespace odbcpool
