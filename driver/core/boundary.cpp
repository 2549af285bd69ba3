#include "boundary.h"

#include "target_connect.h"
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
    const TargetHandle target = handle.diag().target();
    std::vector<DiagRecord> records;
    if (target) {
      const DiagSource source = diag_source(*target.fn);
      const bool only_through_sqlerror =
          source == DiagSource::ErrorWide || source == DiagSource::ErrorAnsi;
      if (rc != SQL_ERROR && !only_through_sqlerror) return;
      records = read_target_diagnostics(*target.fn, target.type, target.handle);
      if (only_through_sqlerror ||
          (!records.empty() && !target_has_record(*target.fn, target.type, target.handle))) {
        handle.diag().adopt_target_records(records);
      }
    } else {
      records = handle.diag().view().records;
    }
    if (rc != SQL_ERROR) return;
    Connection* connection = handle.owner_connection();
    if (connection == nullptr || !connection->connected()) return;
    for (const DiagRecord& r : records) {
      if (is_connection_class(r.sqlstate)) {
        connection->session().mark_broken();
        return;
      }
    }
    // Not every lost connection comes with an 08xxx: psqlODBC reports a
    // server that went away while it prepared a statement as HY000 ("server
    // closed the connection unexpectedly ... Error while preparing
    // parameters"), but knows its connection is down. Its answer is local.
    // Only after a statement's error: the connection's own records must stay
    // for the application to read.
    if (target && target.type == SQL_HANDLE_STMT && connection->session().pooled()) {
      TargetConnection& t = connection->session().target();
      SQLUINTEGER dead = SQL_CD_FALSE;
      const SQLRETURN dead_rc = read_connect_attribute(t.fn(), t.dbc(), SQL_ATTR_CONNECTION_DEAD,
                                                       &dead, sizeof dead, nullptr);
      if (SQL_SUCCEEDED(dead_rc) && dead == SQL_CD_TRUE) connection->session().mark_broken();
    }
  } catch (...) {
    // Best effort: the application still gets its error.
  }
}

SQLRETURN refuse_inherited(Handle& handle) noexcept {
  try {
    handle.diag().begin_call({});  // no read-through: the target is not to be called
  } catch (...) {
  }
  detail::record(handle, DiagRecord::own("08003",
                                         "Connection not open: it was inherited across fork() "
                                         "and belongs to the parent process; only SQLDisconnect "
                                         "and SQLFreeHandle are allowed on it here, then "
                                         "connect again"));
  return SQL_ERROR;
}

}  // namespace odbcpool
