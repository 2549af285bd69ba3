#include "target_connection.h"

namespace odbcpool {

void TargetConnection::close() noexcept {
  if (dbc_ == SQL_NULL_HDBC) return;
  fn().SQLDisconnect(dbc_);
  fn().SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  dbc_ = SQL_NULL_HDBC;
}

}  // namespace odbcpool
