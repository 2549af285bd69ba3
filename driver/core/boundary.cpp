#include "boundary.h"

#include "target_diagnostics.h"

namespace odbcpool {

namespace {

bool is_connection_class(const std::string& sqlstate) {
  return sqlstate.compare(0, 2, "08") == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

}  // namespace

void note_connection_errors(Handle& handle) noexcept {
  try {
    Connection* connection = handle.owner_connection();
    if (connection == nullptr || !connection->connected()) return;
    Diagnostics::View view = handle.diag().view();
    std::vector<DiagRecord> records =
        view.target ? read_target_diagnostics(*view.target.fn, view.target.type, view.target.handle)
                    : std::move(view.records);
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
