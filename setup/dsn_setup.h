// ConfigDSN without a dialog: add, change or remove an odbcpool DSN in
// odbc.ini from "key=value" attributes, refusing (before anything is
// written) whatever a connect through that DSN would refuse.
#pragma once

#include <odbcinst.h>

namespace odbcpool::setup {

// Throws SetupError.
void configure_dsn(WORD request, const char* driver, const char* attributes, bool has_window);

}  // namespace odbcpool::setup
